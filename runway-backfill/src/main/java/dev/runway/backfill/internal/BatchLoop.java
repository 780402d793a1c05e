package dev.runway.backfill.internal;

import dev.runway.backfill.BackfillCheckpoint;
import dev.runway.backfill.BackfillSpec;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.backfill.BackfillRun;
import dev.runway.migrate.backfill.KeyPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The batches of one backfill run, from a checkpoint (or the start) to the end or a stop: each batch
 * is one transaction that finds its bounds ({@link Walk}), does its work and saves the checkpoint, so
 * a batch and its checkpoint commit or vanish together. Between batches: the stop flag, the pause, and
 * the replica lag wait. Lock timeouts are retried as the run's {@link BackfillRun#retry()} says (the
 * engine's one policy: the migration's tries, jittered back-off, a wait that a stop ends). Not thread-safe:
 * one per run.
 */
public final class BatchLoop {
    private final BackfillRun run;
    private final BackfillSpec spec;
    private final TableKey key;
    private final BatchWork work;
    private final Checkpoints checkpoints;
    private final LagWait lag;

    public BatchLoop(BackfillRun run, BackfillSpec spec, TableKey key, BatchWork work, Checkpoints checkpoints, LagWait lag) {
        this.run = run;
        this.spec = spec;
        this.key = key;
        this.work = work;
        this.checkpoints = checkpoints;
        this.lag = lag;
    }

    /** @return true when the walk completed, false when it stopped on request (its checkpoint saved) */
    public boolean run(BackfillCheckpoint from) throws SQLException {
        Connection c = run.connection();
        Walk walk = new Walk(key);
        KeyPosition position = from != null ? from.position() : null;
        long keys = from != null ? from.keys() : 0;
        long rows = from != null ? from.rows() : 0;
        long batches = from != null ? from.batches() : 0;
        int size = from != null ? from.batchSize() : spec.batch();
        long estimate = walk.estimate(c);
        BatchSizer sizer = new BatchSizer(spec.minBatch(), spec.maxBatch(), spec.target());
        long t0 = System.nanoTime();
        long runRows = 0;
        long runKeys = 0;
        while (true) {
            if (run.stopRequested() || !lag.await(run)) {
                return false;
            }
            Batch b = batch(walk, position, size, new Totals(keys, rows, batches), sizer);
            position = b.position;
            keys += b.keys;
            rows += b.rows;
            runKeys += b.keys;
            runRows += b.rows;
            batches++;
            size = b.nextSize;
            run.listener().backfillProgress(run.migration(), new BackfillProgress(rows, batches, keys, position, estimate, size,
                    b.took, Duration.ofNanos(System.nanoTime() - t0), runRows, runKeys, b.last));
            if (b.last) {
                return true;
            }
            if (!spec.pause().isZero() && !sleep(run, spec.pause())) {
                return false;
            }
        }
    }

    /** The checkpoint's figures before a batch. */
    private record Totals(long keys, long rows, long batches) {
    }

    /** What one committed batch did. */
    private record Batch(KeyPosition position, long keys, long rows, int nextSize, Duration took, boolean last) {
    }

    private Batch batch(Walk walk, KeyPosition after, int size, Totals before, BatchSizer sizer) throws SQLException {
        Connection c = run.connection();
        for (int attempt = 1; ; attempt++) {
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + run.lockTimeout().toMillis() + "ms'; SET LOCAL statement_timeout = '"
                            + run.statementTimeout().toMillis() + "ms'");
                }
                long t0 = System.nanoTime();
                Walk.Bounds b = walk.next(c, after == null ? null : after.values(), size);
                long rows = b == null ? 0 : work.run(c, b);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                int nextSize = sizer.next(size, took);
                KeyPosition position = b == null ? after : key.position(b.last());
                long keys = b == null ? 0 : b.keys();
                boolean last = b == null || b.end();
                checkpoints.save(c, new BackfillCheckpoint(run.migration().version().text(), position, before.keys() + keys,
                        before.rows() + rows, before.batches() + 1, nextSize, last));
                c.commit();
                c.setAutoCommit(true);
                return new Batch(position, keys, rows, nextSize, took, last);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                if (!run.retry().mayRetry(e, attempt)) {
                    throw e;
                }
                Duration delay = run.retry().delay(attempt);
                run.listener().backfillWaiting(run.migration(), "batch after " + (after == null ? "the start" : after.display())
                        + " hit lock_timeout " + run.lockTimeout().toMillis() + "ms (try " + attempt + "/" + run.retries() + ")", delay);
                try {
                    run.retry().await(delay);
                } catch (InterruptedException stop) {
                    throw e; // stopped while waiting: the batch was rolled back, the checkpoint is the last committed one
                }
            }
        }
    }

    static boolean sleep(BackfillRun run, Duration d) {
        try {
            run.sleeper().sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
