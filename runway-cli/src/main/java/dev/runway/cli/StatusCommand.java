package dev.runway.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.backfill.BackfillCheckpoint;
import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.BackfillJson;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.migrate.MigrationStatus;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code runway status}: every migration and its state; exit 4 when something blocks {@code migrate}. */
@Command(name = "status", description = {
        "Show every migration: applied, pending, failed, partially applied, file missing, checksum changed, out of order.",
        "Exit 0, or 4 when a state blocks migrate (failed, checksum changed, out of order)."})
final class StatusCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.SCHEMA, Setting.TABLE, Setting.ALLOW_OUT_OF_ORDER,
            Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    StatusCommand() {
        super(SETTINGS);
    }

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        StatusResult r = Runway.create(s.engine().build()).status();
        print(out, r, s.url().toString());
        return r.hasProblems() ? ErrorCode.INTEGRITY.exitCode() : 0;
    }

    static void print(Output out, StatusResult r, String where) {
        print(out, r, where, java.util.Map.of());
    }

    /** @param backfills checkpoints of backfill data migrations by version (empty for schema status) */
    static void print(Output out, StatusResult r, String where, java.util.Map<String, BackfillCheckpoint> backfills) {
        if (out.json()) {
            out.printJson(json(r, where, backfills), r.hasProblems() ? ErrorCode.INTEGRITY.exitCode() : 0);
            return;
        }
        text(out, r, where, backfills);
    }

    /** The status as a JSON tree: database, current_version, pending, problems, migrations. */
    static ObjectNode json(StatusResult r, String where, java.util.Map<String, BackfillCheckpoint> backfills) {
        ObjectNode root = Output.mapper().createObjectNode();
        root.put("database", where).put("current_version", r.currentVersion()).put("pending", r.pending())
                .put("problems", r.hasProblems());
        ArrayNode a = root.putArray("migrations");
        for (MigrationStatus m : r.migrations()) {
            ObjectNode n = a.addObject().put("version", m.version().text()).put("name", m.name())
                    .put("state", m.state().name().toLowerCase());
            if (m.migration() != null) {
                n.put("file", m.migration().displayName());
            }
            if (m.row() != null) {
                n.put("applied_at", m.row().appliedAt() == null ? null : m.row().appliedAt().toString())
                        .put("duration_ms", m.row().durationMs()).put("applied_by", m.row().appliedBy())
                        .put("error", m.row().error());
                if (m.row().statementsTotal() > 0) {
                    n.put("statements_done", m.row().statementsDone()).put("statements_total", m.row().statementsTotal());
                }
            }
            BackfillCheckpoint cp = backfills.get(m.version().text());
            if (cp != null) {
                var b = n.putObject("backfill").put("rows", cp.rows()).put("batches", cp.batches()).put("keys", cp.keys());
                BackfillJson.putKey(b, "last_key", cp.position());
                b.put("batch_size", cp.batchSize()).put("done", cp.done());
            }
        }
        return root;
    }

    private static void text(Output out, StatusResult r, String where, java.util.Map<String, BackfillCheckpoint> backfills) {
        out.line("Migration status of " + where);
        if (r.migrations().isEmpty()) {
            out.line("  (no migrations)");
        }
        int w = 7;
        for (MigrationStatus m : r.migrations()) {
            w = Math.max(w, m.version().text().length());
        }
        for (MigrationStatus m : r.migrations()) {
            String state = m.state().label();
            BackfillCheckpoint cp = backfills.get(m.version().text());
            if (cp != null && (m.state() == dev.runway.migrate.MigrationState.PARTIAL || m.state() == dev.runway.migrate.MigrationState.FAILED)) {
                state += " (backfill: " + cp.summary() + ")";
            } else if (m.row() != null && m.row().statementsTotal() > 0 && !"applied".equals(m.row().status().dbValue())) {
                state += " (" + m.row().statementsDone() + "/" + m.row().statementsTotal() + " statements)";
            }
            String colored = m.state().problem() ? out.red(state) : m.state().name().equals("PENDING") ? out.yellow(state) : out.green(state);
            String at = m.row() != null && m.row().appliedAt() != null ? "  " + out.dim(AT.format(m.row().appliedAt())) : "";
            out.line(String.format("  %-" + w + "s  %-40s %s%s", m.version().text(), truncate(m.name(), 40), colored, at));
            if (m.row() != null && m.row().error() != null) {
                out.line("  " + " ".repeat(w) + "  error: " + m.row().error());
            }
        }
        out.line("Current version: " + (r.currentVersion() == null ? "none" : r.currentVersion()) + ", " + r.pending()
                + " pending" + (r.hasProblems() ? ", " + out.red("problems found (migrate will refuse; see above)") : ""));
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
