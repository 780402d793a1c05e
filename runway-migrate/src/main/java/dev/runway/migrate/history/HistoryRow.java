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
 */
public record HistoryRow(MigrationVersion version, String name, MigrationKind kind, String checksum, HistoryStatus status,
                         int statementsDone, int statementsTotal, String error, Instant appliedAt, long durationMs,
                         String appliedBy, String runwayVersion) {
}
