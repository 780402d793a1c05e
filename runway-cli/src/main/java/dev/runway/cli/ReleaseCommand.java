package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.lint.LintConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runway release}: what fly.toml's {@code release_command} runs. Verify runway.sum and every
 * file, optionally back up, then migrate schema (and data with {@code --with-data}).
 */
@Command(name = "release", description = {
        "The release command (fly.toml's release_command): verify runway.sum and every migration file, take the",
        "migration lock, run the lint gate on the pending migrations, optionally pg_dump the database",
        "(--backup DIR|s3://BUCKET/PREFIX/|s3, see docs/backup.md; a failed backup migrates nothing), then apply them.",
        "",
        "The lint gate (docs/check.md) judges each finding against the target: a lock or rewrite on a table that",
        "exists before this run and is at least --gate-small-table (default 10MB) refuses the release with exit 3,",
        "naming the table and its size; on a table this release creates, or a smaller one, it passes with an info",
        "line. To accept a finding, write '-- runway:nolint RWnnn <reason>' before '-- runway:up' (whole file) or",
        "on the line before the statement.",
        "",
        "Aborts before changing anything on: a bad file or flag, a wrong password or missing database, a",
        "transaction-pooling proxy (use --migrate-url) or TLS settings that cannot work (exit 2);",
        "gate errors (exit 3); runway.sum mismatch, edited applied file, failed row (exit 4); lock wait timeout or",
        "unreachable database (exit 75). SIGINT/SIGTERM stop at the next safe point: exit 75 'interrupted: N pending'."})
final class ReleaseCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.complementOf(EnumSet.of(Setting.FLAGS_TABLE));

    ReleaseCommand() {
        super(SETTINGS);
    }
    /** Also apply pending data migrations (read by {@link FastPath} too). */
    static final String WITH_DATA = "--with-data";
    @Option(names = WITH_DATA, description = "Also apply pending data migrations after the schema ones.")
    boolean withData;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Duration grace = s.duration(Setting.STOP_GRACE);
        LintConfig lint = LintToml.lintConfig(common, s);
        ReleaseBackup dump = ReleaseBackup.configure(s, out); // bad location or S3 settings: exit 2 before connecting
        // resolved first: a bad --classpath stops the release before any schema change
        dev.runway.backfill.Backfiller backfills = withData ? Backfills.runner(s) : null;
        Runway runway = Runway.create(s.engine().build()).connectAhead();
        int rc = MigrationRun.run(out, runway, grace, null, l -> {
            ReleaseGate gate = new ReleaseGate(out, lint, l);
            return runway.migrate(MigrateOptions.ALL, l, (applied, pending, session) -> {
                gate.check(applied, pending, session);
                if (dump != null) {
                    dump.take(applied, l); // under the lock, after the gate: the database right before these migrations
                }
            });
        });
        if (rc == 0 && withData) {
            rc = MigrationRun.run(out, runway, grace, null, l -> runway.migrateData(MigrateOptions.ALL, l, backfills));
        }
        return rc;
    }
}
