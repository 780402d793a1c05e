package dev.runway.cli.flags;

import dev.runway.core.RunwayException;
import picocli.CommandLine.Command;

/** {@code runway flags list|set|rm}: the feature flags every instance evaluates (dev.runway.datasource.flags.FeatureFlags). */
@Command(name = "flags",
        description = {"Feature flags in a table on the primary (--schema, --flags-table). Every change is announced in its",
                "own transaction: instances reload as soon as their local replica shows it.",
                "Exit 0, 2 for a bad name, state, percent or region list or an unknown flag, 75 when the database is unreachable."},
        subcommands = {FlagsList.class, FlagsSet.class, FlagsRm.class})
public final class FlagsCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;

    @Override
    public void run() {
        throw RunwayException.usage("flags: give a subcommand: list, set or rm (see 'runway flags --help')");
    }
}
