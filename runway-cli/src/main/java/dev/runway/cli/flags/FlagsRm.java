package dev.runway.cli.flags;

import dev.runway.cli.SettingsCommand;
import dev.runway.core.flags.Flag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runway flags rm NAME}. */
@Command(name = "rm", description = {"Delete a flag: every instance then treats it as off.",
        "Remove the code that checks it first (an unknown flag is off, and logged once per instance)."})
final class FlagsRm extends SettingsCommand {
    FlagsRm() {
        super(FlagsOptions.SETTINGS);
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "The flag to delete.")
    String name;

    @Override
    public Integer call() {
        return FlagsOptions.run(common, () -> Flag.checkName(name), (table, c, out) -> {
            Flag removed = table.remove(c, name);
            if (out.json()) {
                return FlagsOptions.json("removed", removed, FlagsOptions::json);
            }
            out.line(removed.name() + ": removed (was " + removed.describe() + ")");
            return null;
        });
    }
}
