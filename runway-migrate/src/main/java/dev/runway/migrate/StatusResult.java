package dev.runway.migrate;

import java.util.List;

/**
 * {@code runway status}: every version, the current version, and how many are pending.
 *
 * @param currentVersion the newest applied version, or null when nothing is applied
 */
public record StatusResult(List<MigrationStatus> migrations, String currentVersion, int pending, boolean historyExists) {
    /** True when some migration is in a state that blocks {@code migrate} (exit code 4). */
    public boolean hasProblems() {
        return migrations.stream().anyMatch(m -> m.state().problem());
    }
}
