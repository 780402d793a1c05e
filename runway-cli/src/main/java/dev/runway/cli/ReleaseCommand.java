package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.pg.PgSession;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import dev.runway.lint.LintConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runway release}: what fly.toml's {@code release_command} runs. Verify runway.sum and every
 * file, optionally back up, then migrate schema (and data with {@code --with-data}).
 */
@Command(name = "release", mixinStandardHelpOptions = true, description = {
        "The release command: verify runway.sum and every migration file, optionally pg_dump the database",
        "(--backup DIR), then apply pending schema migrations under the migration lock.",
        "Aborts before changing anything on: runway.sum mismatch, edited applied file, failed row (exit 4);",
        "a bad file (exit 2); lock wait timeout or unreachable database (exit 75)."})
final class ReleaseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--backup", paramLabel = "DIR", description = "pg_dump -Fc into DIR (file mode 0600) when something is pending.")
    Path backup;
    @Option(names = "--with-data", description = "Also apply pending data migrations after the schema ones.")
    boolean withData;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Duration grace = s.duration(Setting.STOP_GRACE);
        LintConfig lint = CheckCommand.lintConfig(common, s);
        Runway runway = Runway.create(s.engine().build()).connectAhead();
        // Only a backup needs to know beforehand whether anything is pending: keep the no-op path to one connection.
        StatusResult before = backup != null ? runway.status() : null;
        if (before != null && before.pending() > 0) {
            int major;
            try (Connection c = PgSession.connect(s.url(), "runway release")) {
                major = PgSession.majorVersion(c);
            } catch (SQLException e) {
                throw PgSession.unreachable(s.url(), e);
            }
            Path file = Backup.dump(s.url(), backup, major, System.getenv());
            if (!out.json()) {
                out.line("Backup written to " + file + " (pg_dump -Fc, mode 0600)");
            }
        }
        int rc = MigrationRun.run(out, runway, grace, before == null ? null : before.currentVersion(),
                l -> runway.migrate(MigrateOptions.ALL, l, new ReleaseGate(out, lint, l)));
        if (rc == 0 && withData) {
            rc = MigrationRun.run(out, runway, grace, null,
                    l -> runway.migrateData(MigrateOptions.ALL, l, new dev.runway.backfill.Backfiller()));
        }
        return rc;
    }
}
