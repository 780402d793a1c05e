package dev.runway.cli.flags;

import dev.runway.cli.SettingsCommand;
import dev.runway.cli.output.Output;
import dev.runway.core.flags.Flag;
import dev.runway.core.flags.FlagChange;
import dev.runway.core.flags.FlagTable;
import dev.runway.migrate.RunwayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway flags set NAME [on|off] [--percent P] [--regions r1,r2|all] [--create]}. */
@Command(name = "set", description = {
        "Change a flag: only what is given changes. 'off' is a kill switch that keeps the percentage and regions,",
        "so 'on' restores the rollout. A new flag needs --create and starts on, at 100 %%, in every region.",
        "Checks without a subject are on only at 100 %%; with a subject, for a stable P %% of subjects."})
final class FlagsSet extends SettingsCommand {
    FlagsSet() {
        super(FlagsOptions.SETTINGS);
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "Flag name: lower-case letters, digits, _ . -")
    String name;
    @Parameters(index = "1", arity = "0..1", paramLabel = "on|off", description = "Turn it on or off.")
    String state;
    @Option(names = "--percent", paramLabel = "P", description = "Share of subjects it is on for: a whole number 0-100.")
    String percent;
    @Option(names = "--regions", paramLabel = "R1,R2", description = "Regions (FLY_REGION codes) where it can be on, or 'all'.")
    String regions;
    @Option(names = "--create", description = "Create the flag if it does not exist (otherwise an unknown name is an error).")
    boolean create;

    @Override
    public Integer call() {
        FlagChange[] change = new FlagChange[1];
        return FlagsOptions.run(common, () -> {
            Flag.checkName(name);
            change[0] = new FlagChange(state == null ? null : FlagChange.parseState(state),
                    percent == null ? null : FlagChange.parsePercent(percent), regions == null ? null : FlagChange.parseRegions(regions));
        }, (table, c, out) -> {
            FlagTable.SetResult r = table.set(c, name, change[0], create, updatedBy());
            if (out.json()) {
                return FlagsOptions.json("previous", r.previous(), FlagsOptions::json).set("flag", FlagsOptions.json(r.current()));
            }
            Flag f = r.current();
            String was = r.previous() == null ? "created" : "was " + r.previous().describe();
            out.line(f.name() + ": " + (f.enabled() ? out.green(f.describe()) : out.yellow(f.describe())) + " (" + was + ")");
            return null;
        });
    }

    /** {@code user=alice host=web-1 fly_machine_id=..} from the environment. */
    static String updatedBy() {
        String user = System.getenv("USER");
        String machine = RunwayConfig.AppliedBy.fromEnvironment(System::getenv);
        return user == null || user.isEmpty() ? machine : "user=" + user + " " + machine;
    }
}
