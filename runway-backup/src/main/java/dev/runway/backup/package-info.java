/**
 * Backups of a PostgreSQL database before a release migrates it: {@code pg_dump -Fc} streamed to a
 * local directory or to S3-compatible object storage (multipart upload, bounded memory, no local
 * disk), listed newest first, restored with {@code pg_restore} into an empty database, pruned to the
 * newest N. Entry point: {@link dev.runway.backup.Backups}. The S3 client (AWS SDK for Java v2) is
 * loaded only when an {@code s3://} location is used.
 */
package dev.runway.backup;
