package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runway data migrate|status}: data migrations, tracked apart from schema ones and never run by release unless --with-data. */
@Command(name = "data", description = {"Data migrations (migrations/data), tracked apart from schema migrations.",
        "release runs them only with --with-data."}, subcommands = {DataCommand.Migrate.class, DataCommand.Status.class})
final class DataCommand implements Runnable {
    @Mixin
    HelpOption help;

    @Override
    public void run() {
        throw dev.runway.core.RunwayException.usage("data: give a subcommand: migrate or status (see 'runway data --help')");
    }

    @Command(name = "migrate", description = {"Apply pending data migrations.",
            "Backfills (-- runway:backfill) run batch by batch; SIGINT/SIGTERM (Ctrl-C) stops after the current batch",
            "(exit 75, resumable)."})
    static final class Migrate extends SettingsCommand {
        static final Set<Setting> SETTINGS = Setting.allBut(Setting.GATE_SMALL_TABLE);

        Migrate() {
            super(SETTINGS);
        }

        @Mixin
        TargetOptions target = new TargetOptions();

        @Override
        public Integer call() {
            Settings s = common.settings();
            Output out = common.output(s);
            java.time.Duration grace = s.duration(dev.runway.cli.config.Setting.STOP_GRACE);
            Runway runway = Runway.create(s.engine().build());
            MigrateOptions o = target.options();
            return MigrationRun.run(out, runway, grace, null, l -> runway.migrateData(o, l, Backfills.runner(s)));
        }
    }

    @Command(name = "status", description = "Show every data migration and its state.")
    static final class Status extends SettingsCommand {
        static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.DATA_DIR, Setting.SCHEMA, Setting.TABLE,
                Setting.ALLOW_OUT_OF_ORDER, Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);

        Status() {
            super(SETTINGS);
        }


        @Override
        public Integer call() {
            Settings s = common.settings();
            Output out = common.output(s);
            StatusResult r = Runway.create(s.engine().build()).statusData();
            StatusCommand.print(out, r, s.url().toString(), BackfillStatus.read(s, r));
            return r.hasProblems() ? ErrorCode.INTEGRITY.exitCode() : 0;
        }
    }
}
