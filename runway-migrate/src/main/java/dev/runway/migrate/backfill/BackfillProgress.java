package dev.runway.migrate.backfill;

import java.time.Duration;

/**
 * Where a backfill stands, reported after each batch and when it ends.
 *
 * @param rows          rows changed so far (the sum of the batches' update counts), across resumed runs
 * @param batches       batches committed so far, across resumed runs
 * @param keys          keys walked so far, across resumed runs (what the percentage and the ETA count)
 * @param position      the last key done (the next batch starts after it); null before the first key
 * @param estimatedKeys the table's row estimate when this run started (pg_class.reltuples scaled to the
 *                      table's current size, as the planner does); -1 when unknown
 * @param batchSize     the batch size the next batch will use (adapted towards the target duration)
 * @param lastBatch     how long the last batch took (its statements), zero before the first
 * @param elapsed       time spent in this run
 * @param runRows       rows changed in this run (for a rate)
 * @param runKeys       keys walked in this run (for the ETA)
 * @param done          true once the last range is committed
 */
public record BackfillProgress(long rows, long batches, long keys, KeyPosition position, long estimatedKeys, int batchSize,
                               Duration lastBatch, Duration elapsed, long runRows, long runKeys, boolean done) {
    /** The fraction of the table's keys walked, 0..1 (below 1 until done, even when the estimate was low); -1 when unknown. */
    public double fraction() {
        if (done) {
            return 1;
        }
        if (estimatedKeys <= 0) {
            return -1;
        }
        return Math.max(0, Math.min(0.99, (double) keys / estimatedKeys));
    }

    /** Rows changed per second in this run, 0 before any time has passed. */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : runRows / s;
    }

    /** Time left at this run's pace of keys walked; null when unknown (no estimate, or nothing walked yet). */
    public Duration eta() {
        if (done) {
            return Duration.ZERO;
        }
        double s = elapsed.toNanos() / 1e9;
        if (estimatedKeys <= 0 || runKeys <= 0 || s <= 0) {
            return null;
        }
        double left = Math.max(0, estimatedKeys - keys) / (runKeys / s);
        return Duration.ofMillis((long) (left * 1000));
    }
}
