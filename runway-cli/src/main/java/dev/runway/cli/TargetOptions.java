package dev.runway.cli;

import dev.runway.migrate.MigrateOptions;
import picocli.CommandLine.Option;

/** {@code --to}, {@code --step}, {@code --dry-run} of the commands that apply migrations. */
final class TargetOptions {
    @Option(names = "--to", paramLabel = "VERSION", description = "Apply up to and including this version.")
    String to;
    @Option(names = "--step", paramLabel = "N", description = "Apply at most N migrations.")
    int step;
    @Option(names = "--dry-run", description = "Show what would run (decided under the lock); change nothing.")
    boolean dryRun;

    MigrateOptions options() {
        return new MigrateOptions(to == null ? null : VersionArg.parse(to, "--to"), step, dryRun);
    }
}
