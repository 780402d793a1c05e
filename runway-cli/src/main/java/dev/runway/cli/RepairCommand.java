package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.RepairResult;
import dev.runway.migrate.Runway;
import java.util.EnumSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway repair}: clear failed rows (schema and data migrations), saying exactly what it does. */
@Command(name = "repair", description = {
        "Clear failed migrations so the next migrate can run: a failed row with nothing applied is deleted;",
        "one that stopped part-way is marked resumable at the failed statement; a failed backfill keeps its",
        "checkpoint and resumes after its last committed batch. Nothing else is changed."})
final class RepairCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.URL, Setting.MIGRATE_URL, Setting.DIR, Setting.DATA_DIR, Setting.SCHEMA, Setting.TABLE, Setting.LOCK_WAIT,
            Setting.FORMAT, Setting.PLACEHOLDER_REPLACEMENT);

    RepairCommand() {
        super(SETTINGS);
    }
    @Option(names = "--dry-run", description = "Say what would be done; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Output out = common.output(s);
        Runway runway = Runway.create(s.engine().build());
        RepairResult schema = runway.repair(dryRun, MigrationListener.NONE);
        RepairResult data = runway.repairData(dryRun, MigrationListener.NONE, Backfills.runner(s));
        List<String> actions = new ArrayList<>(schema.actions());
        actions.addAll(data.actions());
        RepairResult r = new RepairResult(actions, dryRun);
        if (out.json()) {
            var root = Output.mapper().createObjectNode().put("dry_run", dryRun);
            var a = root.putArray("actions");
            r.actions().forEach(a::add);
            out.printJson(root, 0);
        } else if (r.actions().isEmpty()) {
            out.line("Nothing to repair: no failed migrations.");
        } else {
            out.line(dryRun ? "Would repair (dry run, nothing changed):" : "Repaired:");
            r.actions().forEach(a -> out.line("  - " + a));
        }
        return 0;
    }
}
