package dev.runway.backup;

import java.time.Instant;

/**
 * One stored backup, as {@code backup list} shows it.
 *
 * @param name          the key (S3) or file name (directory), e.g. {@code app-20250301T120000Z-v20250301115900.dump}
 * @param location      where to find it: {@code s3://bucket/key} or the file's path; what {@code backup restore} takes
 * @param database      the database it holds
 * @param createdAt     when the dump started (UTC, to the second; from the name)
 * @param schemaVersion the newest applied migration version before the release migrated ({@code 0}: none)
 * @param size          bytes
 * @param sha256        hex SHA-256 of the dump from its {@code .sha256} companion, or null when that is missing
 * @param serverVersion the PostgreSQL server version dumped ({@code server_version}), or null when unknown
 * @param runwayVersion the Runway version that made it, or null when unknown
 */
public record BackupInfo(String name, String location, String database, Instant createdAt, String schemaVersion, long size,
                         String sha256, String serverVersion, String runwayVersion) {
}
