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
import picocli.CommandLine.Mixin;

/** {@code runway migrate}: apply pending schema migrations. */
@Command(name = "migrate", description = {
        "Apply pending schema migrations under the migration lock, one transaction each.",
        "Aborts (exit 4) on a runway.sum mismatch, an edited applied file, a failed row, or an out-of-order version."})
final class MigrateCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = Setting.allBut(Setting.GATE_SMALL_TABLE, Setting.DATA_DIR, Setting.REPLICA_URLS, Setting.CLASSPATH);

    MigrateCommand() {
        super(SETTINGS);
    }
    @Mixin
    TargetOptions target = new TargetOptions();

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Duration grace = s.duration(Setting.STOP_GRACE);
        Runway runway = Runway.create(s.engine().build()).connectAhead();
        MigrateOptions o = target.options();
        return MigrationRun.run(out, runway, grace, null, l -> runway.migrate(o, l));
    }
}
