package dev.runway.backfill;

import dev.runway.migrate.backfill.KeyPosition;

/**
 * A backfill's saved position: one row per data migration in {@code <history table>_backfill},
 * written in the same transaction as each batch. Plain data: {@link Backfiller#readCheckpoints} reads them.
 *
 * @param version   the data migration's version
 * @param position  the last key done (every key up to it, in the walk's order, is done; the next batch starts
 *                  after it); null before the first key
 * @param keys      keys walked so far (for progress; the rows changed are {@code rows})
 * @param rows      rows changed so far
 * @param batches   batches committed so far
 * @param batchSize the adapted batch size the next batch uses
 * @param done      true once the last range is committed
 */
public record BackfillCheckpoint(String version, KeyPosition position, long keys, long rows, long batches, int batchSize,
                                 boolean done) {

    /** "45000 rows in 9 batches, after id 45000" (or "..., done"), for status lines and repair. */
    public String summary() {
        return rows + " rows in " + batches + " batches" + (done ? ", done" : position == null ? "" : ", after " + position.display());
    }
}
