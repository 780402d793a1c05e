package dev.runway.cli;

import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.migrate.StatusResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runway data migrate|status}: data migrations, tracked apart from schema ones and never run by release unless --with-data. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Data migrations (migrations/data), tracked separately.",
        subcommands = {DataCommand.Migrate.class, DataCommand.Status.class})
final class DataCommand implements Runnable {
    @Override
    public void run() {
        throw dev.runway.core.RunwayException.usage("data: give a subcommand: migrate or status (see 'runway data --help')");
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = {"Apply pending data migrations.",
            "Backfills (-- runway:backfill) run batch by batch; Ctrl-C stops after the current batch (exit 75, resumable)."})
    static final class Migrate implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Mixin
        TargetOptions target = new TargetOptions();

        @Override
        public Integer call() {
            Settings s = common.settings();
            Output out = common.output(s);
            Runway runway = Runway.create(s.engine().build());
            MigrateOptions o = target.options();
            return MigrationRun.run(out, runway, null, l -> runway.migrateData(o, l, Backfills.runner(s)));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show every data migration and its state.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions common;

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
