package dev.runway.migrate;

import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.history.HistoryRow;

/**
 * One line of {@code runway status}.
 *
 * @param migration the file, or null when only the history has it
 * @param row the history row, or null when pending
 */
public record MigrationStatus(MigrationVersion version, String name, MigrationState state, Migration migration, HistoryRow row) {
}
