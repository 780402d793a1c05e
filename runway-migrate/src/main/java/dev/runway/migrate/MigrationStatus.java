package dev.runway.migrate;

import dev.runway.migrate.dir.MigrationRef;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.history.HistoryRow;

/**
 * One line of {@code runway status}.
 *
 * @param migration the file (call {@link MigrationRef#parse()} for its statements), or null when only the history has it
 * @param row the history row, or null when pending
 */
public record MigrationStatus(MigrationVersion version, String name, MigrationState state, MigrationRef migration, HistoryRow row) {
}
