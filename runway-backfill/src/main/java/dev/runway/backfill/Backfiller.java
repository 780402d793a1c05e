package dev.runway.backfill;

import dev.runway.backfill.internal.BatchSizer;
import dev.runway.backfill.internal.BoundSql;
import dev.runway.backfill.internal.Checkpoints;
import dev.runway.backfill.internal.ReplicaLag;
import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.backfill.BackfillRun;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@code -- runway:backfill} data migration key range by key range (docs/backfill.md). Each
 * batch is one short transaction on the locked session: {@code SET LOCAL lock_timeout/statement_timeout},
 * find the batch's upper key by walking the key index ({@code ... WHERE key >= :lo ORDER BY key OFFSET
 * size LIMIT 1}: it reads {@code size} index entries, never the table before {@code :lo}), run the
 * statements with {@code :lo}/{@code :hi} bound, and save the checkpoint, then COMMIT. So a batch and its
 * checkpoint commit or vanish together: a kill -9 never re-runs or skips a range. Between batches it
 * stops on request, sleeps {@code pause}, and waits while a replica lags more than {@code max-lag}.
 *
 * <p>Stateless; each {@link #run} keeps its state on its own stack, so one instance may serve many runs
 * (one at a time per session).
 */
public final class Backfiller implements BackfillRunner {
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    @Override
    public void validate(Connection c, Migration m) throws SQLException {
        String at = BackfillRunner.where(m);
        BackfillSpec spec = BackfillSpec.parse(m.directives().backfill(), at);
        for (SqlStatement s : m.up()) {
            BoundSql b = BoundSql.of(s.sql());
            if (!b.usesBoth()) {
                throw RunwayException.usage(m.displayName() + ":" + s.line() + ": a backfill statement must use both :lo and :hi"
                        + " (e.g. WHERE " + spec.key() + " >= :lo AND " + spec.key() + " < :hi), or it would run on the whole"
                        + " table in every batch");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod), to_regclass(?) IS NOT NULL"
                + " FROM (SELECT 1) one LEFT JOIN pg_attribute a ON a.attrelid = to_regclass(?) AND a.attname = ?"
                + " AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, spec.qualifiedTable());
            ps.setString(2, spec.qualifiedTable());
            ps.setString(3, spec.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String type = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    throw RunwayException.usage(at + ": backfill table '" + (spec.schema() == null ? "" : spec.schema() + ".")
                            + spec.table() + "' does not exist");
                }
                if (type == null) {
                    throw RunwayException.usage(at + ": backfill key '" + spec.key() + "' is not a column of " + spec.table());
                }
                if (!List.of("smallint", "integer", "bigint").contains(type)) {
                    throw RunwayException.usage(at + ": backfill key '" + spec.key() + "' is " + type + "; this version walks one"
                            + " smallint, integer or bigint key column");
                }
            }
        }
    }

    @Override
    public boolean anyBatchDone(Connection c, Migration m, String schema, String historyTable) throws SQLException {
        BackfillCheckpoint cp = new Checkpoints(schema, historyTable).readAll(c).get(m.version().text());
        return cp != null && cp.batches() > 0;
    }

    @Override
    public boolean run(BackfillRun run) throws SQLException {
        Migration m = run.migration();
        Connection c = run.connection();
        BackfillSpec spec = BackfillSpec.parse(m.directives().backfill(), BackfillRunner.where(m));
        String version = m.version().text();
        Checkpoints checkpoints = new Checkpoints(run.schema(), run.historyTable());
        c.setAutoCommit(true);
        checkpoints.create(c);
        BackfillCheckpoint cp = run.resuming() ? checkpoints.read(c, version) : null;
        if (!run.resuming()) {
            checkpoints.delete(c, version); // a leftover of a run whose history row is gone: start over
        }
        if (cp != null && cp.done()) {
            return true;
        }
        Long firstKey = null;
        Long lastKey = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(" + spec.quotedKey() + "), max("
                + spec.quotedKey() + ") FROM " + spec.qualifiedTable())) {
            rs.next();
            long min = rs.getLong(1);
            firstKey = rs.wasNull() ? null : min;
            long max = rs.getLong(2);
            lastKey = rs.wasNull() ? null : max;
        }
        if (lastKey != null && lastKey == Long.MAX_VALUE) {
            throw RunwayException.usage(BackfillRunner.where(m) + ": key " + spec.key() + " reaches 9223372036854775807, so no"
                    + " :hi above it exists; this version cannot walk it");
        }
        List<BoundSql> statements = new ArrayList<>();
        m.up().forEach(s -> statements.add(BoundSql.of(s.sql())));
        long lo = cp != null ? cp.nextKey() : firstKey != null ? firstKey : 0;
        long rows = cp != null ? cp.rows() : 0;
        long batches = cp != null ? cp.batches() : 0;
        int size = cp != null ? cp.batchSize() : spec.batch();
        if (cp != null) {
            run.listener().notice(m.displayName() + ": resuming the backfill at " + spec.key() + " >= " + lo + " (" + batches
                    + " batches, " + rows + " rows done)");
        }
        BatchSizer sizer = new BatchSizer(spec.minBatch(), spec.maxBatch(), spec.target());
        ReplicaLag lag = new ReplicaLag();
        long t0 = System.nanoTime();
        long runRows = 0;
        Duration lastTook = Duration.ZERO;
        while (true) {
            if (run.stopRequested() || !waitForReplicas(run, spec, lag)) {
                return false;
            }
            Batch b = batch(run, spec, statements, checkpoints, version, lo, size, rows, batches, sizer);
            lo = b.next;
            rows += b.rows;
            runRows += b.rows;
            batches++;
            size = b.nextSize;
            lastTook = b.took;
            run.listener().backfillProgress(m, new BackfillProgress(rows, batches, lo, firstKey, lastKey, size, lastTook,
                    Duration.ofNanos(System.nanoTime() - t0), runRows, b.last));
            if (b.last) {
                return true;
            }
            if (!spec.pause().isZero() && !sleep(run, spec.pause())) {
                return false;
            }
        }
    }

    /** What one committed batch did. */
    private record Batch(long next, long rows, int nextSize, Duration took, boolean last) {
    }

    private Batch batch(BackfillRun run, BackfillSpec spec, List<BoundSql> statements, Checkpoints checkpoints,
                        String version, long lo, int size, long rowsBefore, long batchesBefore, BatchSizer sizer)
            throws SQLException {
        Connection c = run.connection();
        for (int attempt = 1; ; attempt++) {
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + run.lockTimeout().toMillis() + "ms'; SET LOCAL statement_timeout = '"
                            + run.statementTimeout().toMillis() + "ms'");
                }
                long t0 = System.nanoTime();
                Long hi = null;
                boolean last = false;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + spec.quotedKey() + " FROM " + spec.qualifiedTable()
                        + " WHERE " + spec.quotedKey() + " >= ? ORDER BY " + spec.quotedKey() + " OFFSET ? LIMIT 1")) {
                    ps.setLong(1, lo);
                    ps.setInt(2, size);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            hi = rs.getLong(1);
                        }
                    }
                }
                if (hi == null) {
                    last = true; // the rest of the table fits in this batch: up to the largest key now
                    try (PreparedStatement ps = c.prepareStatement("SELECT max(" + spec.quotedKey() + ") FROM "
                            + spec.qualifiedTable() + " WHERE " + spec.quotedKey() + " >= ?")) {
                        ps.setLong(1, lo);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            long max = rs.getLong(1);
                            hi = rs.wasNull() ? lo : max + 1;
                        }
                    }
                }
                long rows = 0;
                if (hi > lo) {
                    for (BoundSql s : statements) {
                        try (PreparedStatement ps = c.prepareStatement(s.sql())) {
                            for (int i = 0; i < s.params().size(); i++) {
                                ps.setLong(i + 1, s.params().get(i) ? lo : hi);
                            }
                            ps.execute();
                            int n = ps.getUpdateCount();
                            rows += Math.max(0, n);
                        }
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                int nextSize = sizer.next(size, took);
                checkpoints.save(c, new BackfillCheckpoint(version, hi, rowsBefore + rows, batchesBefore + 1, nextSize, last));
                c.commit();
                c.setAutoCommit(true);
                return new Batch(hi, rows, nextSize, took, last);
            } catch (SQLException e) {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt >= run.retries()) {
                    throw e;
                }
                Duration delay = Duration.ofMillis(Math.min(10_000, 250L << Math.min(6, attempt - 1)));
                run.listener().backfillWaiting(run.migration(), "batch at " + spec.key() + " >= " + lo + " hit lock_timeout "
                        + run.lockTimeout().toMillis() + "ms (try " + attempt + "/" + run.retries() + ")", delay);
                if (!sleep(run, delay)) {
                    throw e;
                }
            }
        }
    }

    /** Waits while a replica lags more than max-lag; false when a stop was requested meanwhile. */
    private boolean waitForReplicas(BackfillRun run, BackfillSpec spec, ReplicaLag lag) throws SQLException {
        if (spec.maxLag().isZero()) {
            return true;
        }
        long since = System.nanoTime();
        long reported = 0;
        Duration poll = Duration.ofMillis(Math.max(20, Math.min(250, spec.maxLag().toMillis() / 4)));
        while (true) {
            ReplicaLag.Worst w = lag.check(run.connection());
            if (w == null || w.lag().compareTo(spec.maxLag()) <= 0) {
                return true;
            }
            long now = System.nanoTime();
            if (reported == 0 || now - reported >= 5_000_000_000L) {
                run.listener().backfillWaiting(run.migration(), "replica " + w.name() + " replay lag " + w.lag().toMillis()
                        + "ms > max-lag " + spec.maxLag().toMillis() + "ms", Duration.ofNanos(now - since));
                reported = now;
            }
            if (run.stopRequested() || !sleep(run, poll)) {
                return false;
            }
        }
    }

    private static boolean sleep(BackfillRun run, Duration d) {
        try {
            run.sleeper().sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
