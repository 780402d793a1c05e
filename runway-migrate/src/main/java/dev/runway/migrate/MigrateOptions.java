package dev.runway.migrate;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;

/**
 * Which part of the pending (or applied) list to run.
 *
 * @param to apply up to and including this version (rollback: down to, excluding, this version); null = all
 * @param steps at most this many migrations; 0 = no limit
 * @param dryRun plan under the lock and report, change nothing
 */
public record MigrateOptions(MigrationVersion to, int steps, boolean dryRun) {
    public static final MigrateOptions ALL = new MigrateOptions(null, 0, false);

    public MigrateOptions {
        if (to != null && steps > 0) {
            throw RunwayException.usage("--to and --step: give one of them, not both");
        }
        if (steps < 0) {
            throw RunwayException.usage("--step: " + steps + " is negative");
        }
    }
}
