package dev.runway.backup;

import java.time.Duration;
import java.util.List;

/**
 * A finished backup.
 *
 * @param backup  what was stored (complete: size and SHA-256 known)
 * @param elapsed from starting pg_dump to the object (and its checksum) being stored
 * @param pruned  backups deleted by retention ({@code keep}), newest first
 */
public record BackupResult(BackupInfo backup, Duration elapsed, List<BackupInfo> pruned) {
    public BackupResult {
        pruned = List.copyOf(pruned);
    }
}
