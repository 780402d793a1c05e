package dev.runway.backfill;

import dev.runway.backfill.internal.BatchLoop;
import dev.runway.backfill.internal.BatchWork;
import dev.runway.backfill.internal.BoundSql;
import dev.runway.backfill.internal.Checkpoints;
import dev.runway.backfill.internal.JavaWork;
import dev.runway.backfill.internal.KeyResolver;
import dev.runway.backfill.internal.LagWait;
import dev.runway.backfill.internal.ReplicaLag;
import dev.runway.backfill.internal.TableKey;
import dev.runway.backfill.internal.Walk;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.Durations;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.backfill.BackfillRun;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.backfill.KeyPosition;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@code -- runway:backfill} data migration batch by batch (docs/backfill.md). The key is any
 * orderable column or columns with an index in that order; each batch is one short transaction on the
 * locked session: {@code SET LOCAL lock_timeout/statement_timeout}, find the batch's first and last key
 * by walking that index from the last key done ({@code WHERE (a, b) > (last) ORDER BY a, b OFFSET size - 1}),
 * run the statements with the bounds bound, and save the checkpoint (the batch's last key, typed and
 * exact), then COMMIT. So a batch and its checkpoint commit or vanish together: a kill -9 never re-runs
 * or skips a key. Between batches it stops on request, sleeps {@code pause}, and waits while a replica
 * lags more than {@code max-lag}.
 *
 * <p>The work of a batch is the file's SQL statements, or a {@link JavaBackfill} named by {@code class=}
 * and loaded from {@link BackfillConfig#classLoader()}.
 *
 * <p>Immutable; each {@link #run} keeps its state on its own stack, so one instance may serve many runs
 * (one at a time per session).
 */
public final class Backfiller implements BackfillRunner {
    private final BackfillConfig config;

    /** A runner with {@link BackfillConfig#defaults()}. */
    public Backfiller() {
        this(BackfillConfig.defaults());
    }

    public Backfiller(BackfillConfig config) {
        this.config = config;
    }

    @Override
    public void validate(Connection c, Migration m) throws SQLException {
        Prepared p = prepare(c, m);
        if (!p.spec().maxLag().isZero()) {
            checkLagSources(c, p.spec(), BackfillRunner.where(m));
        }
    }

    /**
     * {@code max-lag} needs replay positions: refused up front when the role cannot read them on the
     * primary, standbys stream from it, and no replica is given by URL (it would never wait); each
     * replica given by URL must be reachable and a replica.
     */
    private void checkLagSources(Connection c, BackfillSpec spec, String at) throws SQLException {
        for (DatabaseUrl url : config.replicas()) {
            ReplicaLag.checkReplica(url);
        }
        if (!config.replicas().isEmpty() || ReplicaLag.readsStats(c)) {
            return;
        }
        int standbys = ReplicaLag.standbys(c);
        if (standbys > 0) {
            String role;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                role = rs.getString(1);
            }
            throw RunwayException.usage(at + ": max-lag=" + Durations.format(spec.maxLag()) + " needs the replicas' replay positions,"
                    + " but role " + role + " cannot read them in pg_stat_replication (" + standbys + " standby"
                    + (standbys == 1 ? " streams" : "s stream") + " from this primary); grant it pg_monitor (GRANT pg_monitor TO "
                    + PgSession.ident(role) + "), give the replicas' URLs in RUNWAY_REPLICA_URLS (Java API: BackfillConfig.replicas),"
                    + " or set max-lag=0 to backfill without waiting for replicas");
        }
    }

    /** The directive, its key and its statements, checked before anything changes. */
    private record Prepared(BackfillSpec spec, TableKey key, List<BoundSql> statements) {
    }

    private Prepared prepare(Connection c, Migration m) throws SQLException {
        String at = BackfillRunner.where(m);
        BackfillSpec spec = BackfillSpec.parse(m.directives().backfill(), at);
        List<BoundSql> statements = new ArrayList<>();
        for (SqlStatement s : m.up()) {
            statements.add(BoundSql.of(s.sql()));
        }
        TableKey key = KeyResolver.resolve(c, spec, at);
        if (spec.java()) {
            if (!statements.isEmpty()) {
                throw RunwayException.usage(m.displayName() + ":" + m.up().get(0).line() + ": a Java backfill (class="
                        + spec.className() + ") runs no SQL of its own: the class does each batch's work; remove the statements"
                        + " from the up section, or drop class= to run them");
            }
            JavaWork.check(spec.className(), config.classLoader(), at);
            return new Prepared(spec, key, statements);
        }
        if (statements.isEmpty()) {
            throw RunwayException.usage(at + ": a backfill needs an up statement that uses the batch's bounds, e.g. UPDATE "
                    + spec.table() + " SET ... " + example(key));
        }
        for (int i = 0; i < statements.size(); i++) {
            statements.get(i).check(key, m.displayName() + ":" + m.up().get(i).line());
        }
        return new Prepared(spec, key, statements);
    }

    private static String example(TableKey key) {
        String k = key.columns().get(0).name();
        return key.singleInteger() ? "WHERE " + k + " >= :lo AND " + k + " < :hi" : "WHERE " + k + " >= :first AND " + k + " <= :last";
    }

    /** Every saved checkpoint by version, for {@code data status}; empty when no backfill ever ran. Reads only. */
    public static Map<String, BackfillCheckpoint> readCheckpoints(Connection c, String schema, String historyTable)
            throws SQLException {
        return new Checkpoints(schema, historyTable).readAll(c);
    }

    @Override
    public boolean anyBatchDone(Connection c, Migration m, String schema, String historyTable) throws SQLException {
        BackfillCheckpoint cp = new Checkpoints(schema, historyTable).readAll(c).get(m.version().text());
        return cp != null && cp.batches() > 0;
    }

    @Override
    public String repairPlan(Connection c, Migration m, String schema, String historyTable) throws SQLException {
        Prepared p = prepare(c, m);
        BackfillCheckpoint cp = new Checkpoints(schema, historyTable).readAll(c).get(m.version().text());
        if (cp == null || cp.batches() == 0) {
            return null;
        }
        return adopt(cp, p.key(), m).summary();
    }

    @Override
    public boolean run(BackfillRun run) throws SQLException {
        Migration m = run.migration();
        Connection c = run.connection();
        c.setAutoCommit(true);
        Prepared p = prepare(c, m);
        String version = m.version().text();
        Checkpoints checkpoints = new Checkpoints(run.schema(), run.historyTable());
        checkpoints.create(c);
        BackfillCheckpoint cp = run.resuming() ? checkpoints.read(c, version) : null;
        if (!run.resuming()) {
            checkpoints.delete(c, version); // a leftover of a run whose history row is gone: start over
        }
        if (cp != null && cp.done()) {
            return true;
        }
        cp = adopt(cp, p.key(), m);
        if (cp != null && cp.position() != null) {
            run.listener().notice(m.displayName() + ": resuming the backfill after " + cp.position().display() + " (" + cp.batches()
                    + " batches, " + cp.rows() + " rows done)");
        }
        refuseHiOverflow(c, p, BackfillRunner.where(m));
        BatchWork work = p.spec().java() ? JavaWork.load(p.spec().className(), config.classLoader(), p.key(), BackfillRunner.where(m))
                : BatchWork.sql(p.statements(), p.key());
        try (ReplicaLag replicas = new ReplicaLag(ReplicaLag.readsStats(c), p.spec().maxLag().isZero() ? List.of() : config.replicas())) {
            return new BatchLoop(run, p.spec(), p.key(), work, checkpoints, new LagWait(p.spec().maxLag(), replicas)).run(cp);
        }
    }

    /**
     * The checkpoint as this key's position: a checkpoint of the first format names no columns (it walked
     * one integer column, the same file's); one saved for other key columns cannot be resumed.
     */
    private static BackfillCheckpoint adopt(BackfillCheckpoint cp, TableKey key, Migration m) {
        if (cp == null || cp.position() == null) {
            return cp;
        }
        KeyPosition at = cp.position();
        if (at.columns().equals(key.names())) {
            return cp;
        }
        if (at.columns().equals(List.of("key")) && key.singleInteger()) {
            return new BackfillCheckpoint(cp.version(), key.position(at.values()), cp.keys(), cp.rows(), cp.batches(), cp.batchSize(),
                    false);
        }
        throw new RunwayException(ErrorCode.INTEGRITY, m.displayName() + ": its checkpoint walks " + at.columns() + ", the file's key"
                + " is " + key.names() + "; a started backfill cannot change its key (ship the change as a new data migration)");
    }

    /** {@code :hi} is the last key + 1: refused up front when the largest key leaves no room for it. */
    private static void refuseHiOverflow(Connection c, Prepared p, String at) throws SQLException {
        boolean hi = p.statements().stream().anyMatch(s -> s.placeholders().stream().anyMatch(x -> x.bound() == BoundSql.Bound.HI));
        List<String> last = hi ? new Walk(p.key()).lastKey(c) : null;
        if (last != null && Long.parseLong(last.get(0)) == Long.MAX_VALUE) {
            throw RunwayException.usage(at + ": key " + p.key().display() + " reaches 9223372036854775807, so no :hi"
                    + " above it exists; use :first and :last (both inclusive) instead of :lo and :hi");
        }
    }
}
