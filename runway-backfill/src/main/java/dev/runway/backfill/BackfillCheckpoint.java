package dev.runway.backfill;

/**
 * A backfill's saved position: one row per data migration in {@code <history table>_backfill},
 * written in the same transaction as each batch.
 *
 * @param version   the data migration's version
 * @param nextKey   where the next batch starts ({@code :lo}); every range below it is done
 * @param rows      rows changed so far
 * @param batches   batches committed so far
 * @param batchSize the adapted batch size the next batch uses
 * @param done      true once the last range is committed
 */
public record BackfillCheckpoint(String version, long nextKey, long rows, long batches, int batchSize, boolean done) {

    /** Every saved checkpoint by version, for {@code data status}; empty when no backfill ever ran. Reads only. */
    public static java.util.Map<String, BackfillCheckpoint> readAll(java.sql.Connection c, String schema, String historyTable)
            throws java.sql.SQLException {
        return new dev.runway.backfill.internal.Checkpoints(schema, historyTable).readAll(c);
    }
}
