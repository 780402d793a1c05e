package dev.runway.cli;

import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.pg.PgSession;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Severity;
import dev.runway.lint.StaticGate;
import dev.runway.migrate.PendingGate;
import dev.runway.migrate.dir.Migration;
import java.util.List;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
        // resolved first: a bad --classpath stops the release before any schema change
        dev.runway.backfill.Backfiller backfills = withData ? Backfills.runner(s) : null;
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
        LintConfig lint = CheckCommand.lintConfig(common.config != null ? common.config : Path.of("runway.toml"));
        PendingGate gate = (applied, pending) -> lintGate(out, lint, applied, pending);
        int rc = MigrationRun.run(out, runway, before == null ? null : before.currentVersion(),
                l -> runway.migrate(MigrateOptions.ALL, l, gate));
        if (rc == 0 && withData) {
            rc = MigrationRun.run(out, runway, null, l -> runway.migrateData(MigrateOptions.ALL, l, backfills));
        }
        return rc;
    }

    /**
     * The static lint gate on exactly the pending migrations (computed under the lock): findings are
     * printed; error findings that are not suppressed refuse the release (exit 3) before anything runs.
     */
    static void lintGate(Output out, LintConfig lint, List<Migration> applied, List<Migration> pending) {
        List<Finding> findings = StaticGate.check(applied, pending, lint);
        if (findings.isEmpty()) {
            return;
        }
        for (Finding f : findings) {
            out.err().println(f.location() + ": " + f.severity().label() + " " + f.rule() + ": " + f.message()
                    + (f.lock() == null ? "" : " [" + f.lock() + "]"));
            out.err().println("    safe: " + f.safeAlternative());
        }
        if (StaticGate.blocks(findings)) {
            long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
            throw new RunwayException(ErrorCode.CHECK_FAILED, "release refused: " + errors + " lint error"
                    + (errors == 1 ? "" : "s") + " in pending migrations (listed above); fix them, or suppress one with"
                    + " '-- runway:nolint RWnnn <reason>' before '-- runway:up' (whole file) or on the line before the statement."
                    + " Nothing was changed");
        }
    }
}
