package dev.runway.migrate;

import dev.runway.migrate.dir.Migration;
import java.time.Duration;
import java.util.List;

/**
 * What a {@code migrate} or {@code rollback} run did.
 *
 * @param done the migrations applied (or rolled back), in order; with {@code dryRun}, those that would be
 * @param statements how many SQL statements ran
 * @param lockWait how long we waited for the migration lock
 * @param total wall time from connect to release
 */
public record MigrateResult(MigrationListener.Direction direction, List<Migration> done, int statements, Duration lockWait,
                            Duration total, boolean dryRun, String currentVersion) {
}
