package dev.runway.migrate.history;

import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.MigrationVersion;
import java.time.Instant;

/**
 * One row of the history table.
 *
 * @param statementsDone for non-transactional migrations, how many statements completed
 * @param statementsTotal for non-transactional migrations, how many there are; 0 otherwise
 * @param error the database error of a failed migration, else null
 * @param checksum the whole migration's checksum, up and down (what Runway versions before the split compared)
 * @param upChecksum the up section's checksum; null in a row written before Runway recorded up and down apart
 * @param downChecksum the down section's checksum; null without a down section (or in such an older row)
 */
public record HistoryRow(MigrationVersion version, String name, MigrationKind kind, String checksum, HistoryStatus status,
                         int statementsDone, int statementsTotal, String error, Instant appliedAt, long durationMs,
                         String appliedBy, String runwayVersion, String upChecksum, String downChecksum) {
    /** True for a row written before Runway recorded the up and down checksums apart. */
    public boolean legacyChecksum() {
        return upChecksum == null;
    }
}
