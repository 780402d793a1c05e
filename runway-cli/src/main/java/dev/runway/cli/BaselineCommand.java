package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.RunwayException;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.baseline.BaselineResult;
import dev.runway.migrate.baseline.BaselineSource;
import dev.runway.migrate.dir.MigrationVersion;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway baseline}: adopt an existing database. */
@Command(name = "baseline", description = {
        "Adopt an existing database: record a baseline version so every migration up to it counts as applied.",
        "--from TOOL reads that runner's history table (flyway, liquibase, golang-migrate, goose, dbmate, sql-migrate,",
        "diesel, ecto), maps its rows to the files and takes the newest; it refuses a failed or dirty state, a row",
        "without a file and a file never applied below one that was (exit 4), changing nothing.",
        "Without --version or --from, reads flyway_schema_history."})
final class BaselineCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.SCHEMA, Setting.TABLE, Setting.LOCK_WAIT,
            Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);

    BaselineCommand() {
        super(SETTINGS);
    }
    @Option(names = "--version", paramLabel = "V", description = "The version the database already has.")
    String version;
    @Option(names = "--from", paramLabel = "TOOL", description = "Read this runner's history table.")
    String from;
    @Option(names = "--from-table", paramLabel = "TABLE", description = "That runner's table when not its usual one (name or schema.name).")
    String fromTable;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        if (version != null && (from != null || fromTable != null)) {
            throw RunwayException.usage("baseline: give --version or --from, not both");
        }
        if (fromTable != null && from == null) {
            throw RunwayException.usage("--from-table: name the runner with --from");
        }
        BaselineResult r;
        Runway runway = Runway.create(s.engine().build());
        if (version != null) {
            MigrationVersion v = runway.baseline(VersionArg.parse(version, "--version"), MigrationListener.NONE);
            r = new BaselineResult(v, null, 0, java.util.List.of(), java.util.List.of());
        } else {
            r = runway.baseline(from == null ? BaselineSource.FLYWAY : BaselineSource.parse(from, "--from"), fromTable,
                    MigrationListener.NONE);
        }
        if (out.json()) {
            var node = Output.mapper().createObjectNode().put("baseline", r.version().text());
            if (r.from() != null) {
                node.put("from", r.from().label()).put("mapped", r.mapped());
                r.repeatables().forEach(node.putArray("repeatables")::add);
                r.notes().forEach(node.putArray("notes")::add);
            }
            out.printJson(node, 0);
        } else {
            out.line("Baselined at version " + r.version() + (r.from() == null ? "" : " from " + r.from().label() + " ("
                    + r.mapped() + " applied migrations matched to files)") + ": migrations up to it count as applied.");
            for (String rep : r.repeatables()) {
                out.line("  repeatable " + rep + ": recorded as applied (unchanged since " + r.from().label() + " ran it)");
            }
            for (String n : r.notes()) {
                out.line("  note: " + n);
            }
        }
        return 0;
    }
}
