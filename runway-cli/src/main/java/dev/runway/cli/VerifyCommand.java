package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code runway verify}: runway.sum, every file parses, and (with a database) applied checksums match. */
@Command(name = "verify", description = {
        "Check runway.sum against the files, parse every migration (directives, statements, transaction mode),",
        "and when a database is configured, compare applied checksums. Exit 0, 2 (bad file) or 4 (integrity)."})
final class VerifyCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.DATA_DIR, Setting.SCHEMA, Setting.TABLE,
            Setting.ALLOW_OUT_OF_ORDER, Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);

    VerifyCommand() {
        super(SETTINGS);
    }

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Path dir = Path.of(s.get(Setting.DIR));
        SumFile.verify(dir);
        int n = MigrationDirectory.load(dir, MigrationKind.SCHEMA, s.placeholders()).migrations().size();
        Path data = NewCommand.dataDir(s);
        int d = 0;
        if (Files.isDirectory(data)) {
            SumFile.verify(data);
            d = MigrationDirectory.load(data, MigrationKind.DATA, s.placeholders()).migrations().size();
        }
        StatusResult st = null;
        if (s.get(Setting.URL) != null) {
            st = Runway.create(s.engine().build()).status();
        }
        boolean problems = st != null && st.hasProblems();
        if (out.json()) {
            var doc = Output.mapper().createObjectNode().put("schema_migrations", n).put("data_migrations", d)
                    .put("sum_ok", true).put("database_checked", st != null).put("problems", problems);
            if (problems) {
                doc.set("status", StatusCommand.json(st, s.url().toString(), java.util.Map.of()));
            }
            out.printJson(doc, problems ? ErrorCode.INTEGRITY.exitCode() : 0);
            return problems ? ErrorCode.INTEGRITY.exitCode() : 0;
        } else {
            out.line("ok: " + n + " schema and " + d + " data migrations parse; runway.sum matches"
                    + (st == null ? " (no database configured: applied checksums not compared)"
                    : st.hasProblems() ? "" : "; applied checksums match the database"));
        }
        if (st != null && st.hasProblems()) {
            StatusCommand.print(out, st, s.url().toString());
            return ErrorCode.INTEGRITY.exitCode();
        }
        return 0;
    }
}
