package dev.runway.backup;

import java.time.Duration;

/**
 * A finished restore.
 *
 * @param source   the backup restored
 * @param database the target database name
 * @param bytes    bytes read from the backup
 * @param verified whether the SHA-256 of what was read matched the backup's {@code .sha256} (false: none was stored)
 * @param elapsed  wall time
 */
public record RestoreResult(String source, String database, long bytes, boolean verified, Duration elapsed) {
}
