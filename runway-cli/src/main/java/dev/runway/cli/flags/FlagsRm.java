package dev.runway.cli.flags;

import dev.runway.core.flags.Flag;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code runway flags rm NAME}. */
@Command(name = "rm", description = {"Delete a flag: every instance then treats it as off.",
        "Remove the code that checks it first (an unknown flag is off, and logged once per instance)."})
final class FlagsRm implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Mixin
    FlagsOptions options = new FlagsOptions();
    @Parameters(index = "0", paramLabel = "NAME", description = "The flag to delete.")
    String name;

    @Override
    public Integer call() {
        return options.run(() -> Flag.checkName(name), (table, c, out) -> {
            Flag removed = table.remove(c, name);
            if (out.json()) {
                return FlagsOptions.json("removed", removed, FlagsOptions::json);
            }
            out.line(removed.name() + ": removed (was " + removed.describe() + ")");
            return null;
        });
    }
}
