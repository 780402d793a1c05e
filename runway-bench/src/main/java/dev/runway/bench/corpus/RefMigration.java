package dev.runway.bench.corpus;

/**
 * One migration as its original tool applies it, read by the harness itself (never by Runway's parser):
 * the SQL of each direction laid out at its original line numbers (other lines blank, so psql's
 * {@code file:line} points into the original file) and whether the tool wraps that direction in a
 * transaction. Immutable.
 *
 * @param id      the tool's identity of the migration (version, or Liquibase {@code file::author:id})
 * @param upFile  path of the file the up SQL comes from, relative to the migration directory
 * @param up      the up SQL, line-aligned with {@code upFile}
 * @param upTx    true when the tool runs the up in one transaction
 * @param downFile path of the down SQL's file, or null when the migration has no down
 * @param down    the down SQL, line-aligned with {@code downFile}, or null
 * @param downTx  true when the tool runs the down in one transaction
 */
public record RefMigration(String id, String upFile, String up, boolean upTx, String downFile, String down, boolean downTx) {
}
