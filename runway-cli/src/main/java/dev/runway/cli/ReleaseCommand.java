package dev.runway.cli;

import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Severity;
import dev.runway.lint.StaticGate;
import dev.runway.migrate.dir.Migration;
import java.util.List;
import java.nio.file.Path;
import dev.runway.cli.config.Setting;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runway release}: what fly.toml's {@code release_command} runs. Verify runway.sum and every
 * file, optionally back up, then migrate schema (and data with {@code --with-data}).
 */
@Command(name = "release", mixinStandardHelpOptions = true, description = {
        "The release command: verify runway.sum and every migration file, take the migration lock, run the lint",
        "gate, optionally pg_dump the database (--backup DIR|s3://BUCKET/PREFIX/|s3), then apply pending schema",
        "migrations. A failed backup migrates nothing (exit 75, or 2 for its configuration).",
        "Aborts before changing anything on: runway.sum mismatch, edited applied file, failed row (exit 4);",
        "a bad file, a transaction-pooling proxy (use --migrate-url) or TLS settings that cannot work (exit 2);",
        "lock wait timeout or unreachable database (exit 75)."})
final class ReleaseCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--backup", paramLabel = "DIR|s3://BUCKET/PREFIX/|s3", description = {"When something is pending, pg_dump -Fc",
            "the database first: into DIR (mode 0600), or streamed to S3-compatible storage (AWS_* variables; s3 means",
            "s3://$BUCKET_NAME/runway-backups/). See docs/backup.md."})
    String backup;
    @Option(names = "--keep", paramLabel = "N", description = "With --backup: keep only the newest N backups of this database.")
    String keep;
    @Mixin
    S3Flags s3 = new S3Flags();
    @Option(names = "--with-data", description = "Also apply pending data migrations after the schema ones.")
    boolean withData;

    @Override
    public Integer call() {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        S3Flags.put(flags, Setting.BACKUP, backup);
        S3Flags.put(flags, Setting.BACKUP_KEEP, keep);
        s3.addTo(flags);
        Settings s = common.settings(flags);
        Output out = common.output(s);
        ReleaseBackup dump = ReleaseBackup.configure(s, out); // bad location or S3 settings: exit 2 before connecting
        Runway runway = Runway.create(s.engine().build()).connectAhead();
        LintConfig lint = CheckCommand.lintConfig(common.config != null ? common.config : Path.of("runway.toml"));
        int rc = MigrationRun.run(out, runway, null, l -> runway.migrate(MigrateOptions.ALL, l, (applied, pending) -> {
            lintGate(out, lint, applied, pending);
            if (dump != null) {
                dump.take(applied, l); // under the lock: the database as it is right before these migrations
            }
        }));
        if (rc == 0 && withData) {
            rc = MigrationRun.run(out, runway, null, l -> runway.migrateData(MigrateOptions.ALL, l, new dev.runway.backfill.Backfiller()));
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
