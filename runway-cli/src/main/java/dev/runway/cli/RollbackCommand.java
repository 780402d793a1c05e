package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway rollback}: run down sections, newest first. */
@Command(name = "rollback", description = {
        "Run down sections of applied migrations, newest first, each in its own transaction.",
        "--to must name an applied version (or 0 for everything) and --step at most the number applied (else exit 2).",
        "Refuses before changing anything if a migration to undo has no down section or its file changed;",
        "--dry-run lists each migration with its down SQL."})
final class RollbackCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.SCHEMA, Setting.TABLE, Setting.LOCK_WAIT,
            Setting.LOCK_TIMEOUT, Setting.STATEMENT_TIMEOUT, Setting.RETRIES, Setting.FORMAT, Setting.STOP_GRACE, Setting.PLACEHOLDER_REPLACEMENT);

    RollbackCommand() {
        super(SETTINGS);
    }
    @Option(names = "--to", paramLabel = "VERSION", description = "Undo every migration newer than VERSION (0 = everything).")
    String to;
    @Option(names = "--step", paramLabel = "N", description = "Undo the newest N migrations.")
    int step;
    @Option(names = "--dry-run", description = "Show what would be undone; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Duration grace = s.duration(Setting.STOP_GRACE);
        Runway runway = Runway.create(s.engine().build());
        MigrateOptions o = new MigrateOptions(to == null ? null : VersionArg.parse(to, "--to"), step, dryRun);
        return MigrationRun.run(out, runway, grace, null, l -> runway.rollback(o, l));
    }
}
