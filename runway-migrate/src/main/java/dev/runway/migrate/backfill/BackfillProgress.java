package dev.runway.migrate.backfill;

import java.time.Duration;

/**
 * Where a backfill stands, reported after each batch and when it ends.
 *
 * @param rows         rows changed so far (the sum of the batches' update counts), across resumed runs
 * @param batches      batches committed so far, across resumed runs
 * @param nextKey      the next batch starts here ({@code :lo}); the ranges below it are done
 * @param firstKey     the smallest key when this run started (for a fraction done); null if the table was empty
 * @param lastKey      the largest key when this run started; null if the table was empty
 * @param batchSize    the batch size the next batch will use (adapted towards the target duration)
 * @param lastBatch    how long the last batch took (its statements), zero before the first
 * @param elapsed      time spent in this run
 * @param runRows      rows changed in this run (for a rate)
 * @param done         true once the last range is committed
 */
public record BackfillProgress(long rows, long batches, long nextKey, Long firstKey, Long lastKey, int batchSize,
                               Duration lastBatch, Duration elapsed, long runRows, boolean done) {
    /** The fraction of the key range done, 0..1; -1 when unknown. */
    public double fraction() {
        if (done) {
            return 1;
        }
        if (firstKey == null || lastKey == null || lastKey <= firstKey) {
            return -1;
        }
        return Math.max(0, Math.min(1, (double) (nextKey - firstKey) / ((double) lastKey - firstKey + 1)));
    }

    /** Rows per second in this run, 0 before the first second's worth. */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : runRows / s;
    }
}
