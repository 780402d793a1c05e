package dev.runway.lint.internal.trace;

import dev.runway.core.pg.SimpleProtocol;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.internal.trace.MigrationTrace.RoundTripProblem;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one migration on the scratch database and records, per statement, the locks it took on
 * pre-existing relations, rewrites and scans ({@link Probe}), and for opaque statements (DO blocks,
 * function calls) the catalog changes. Then the up, down, up round trip. Transactional migrations
 * are traced in one transaction, in one message when they can be ({@link OneMessageTrace}), else
 * statement by statement; non-transactional ones statement by statement, each
 * transaction-capable statement in its own probed transaction, on a disposable copy when the
 * scratch state must not change. Not thread-safe.
 */
public final class Tracer {
    private final Scratch scratch;
    private final boolean roundTrip;
    private final String timeZone;
    private Connection setUp;
    /** What of {@link Touched} is on the scratch database: null until tried. */
    private Touched.Level helpers;

    /**
     * @param roundTrip run up, down, up and compare
     * @param timeZone  TimeZone of the target server (decides whether timestamp to timestamptz rewrites), or null
     */
    public Tracer(Scratch scratch, boolean roundTrip, String timeZone) {
        this.scratch = scratch;
        this.roundTrip = roundTrip;
        this.timeZone = timeZone;
    }

    /**
     * Traces {@code m}. With {@code keep} the scratch database ends with {@code m} applied (so later
     * migrations see its schema); without, it is left as it was.
     */
    public MigrationTrace trace(CheckedMigration m, boolean keep) throws SQLException {
        boolean tx = transactional(m);
        if (helpers == null) {
            helpers = Touched.install(scratch.main(), roundTrip);
        }
        if (tx) {
            return transactional(scratch.main(), m, keep);
        }
        boolean rt = roundTrip && m.down() != null;
        if (keep) {
            // Round trip in place: on success the database ends as after up; on failure the caller rebuilds it.
            return autocommit(scratch.main(), m, rt);
        }
        {
            Connection c = scratch.copy();
            MigrationTrace t;
            try {
                t = autocommit(c, m, rt);
            } finally {
                c.close();
                scratch.dropCopy();
            }
            return t;
        }
    }

    /** Forgets what it knew about the scratch database (after the caller rebuilt it). */
    public void forget() {
        setUp = null;
        helpers = null;
    }

    /**
     * True when the trace leaves the scratch database in a state other than "after {@code m}": a
     * non-transactional migration that failed, or whose in-place round trip failed. The caller rebuilds it.
     */
    public static boolean dirty(CheckedMigration m, MigrationTrace t) {
        return !transactional(m) && (t.upError() != null || !t.roundTrip().isEmpty());
    }

    /**
     * True when the up section runs as one transaction. A file with any statement that cannot run in a
     * transaction runs statement by statement (Runway refuses to mix them without
     * {@code transaction none}, plain files run in autocommit; RW103 reports the mix), so those
     * statements really execute and later migrations see their result.
     */
    private static boolean transactional(CheckedMigration m) {
        return m.transactional() && m.up().stream().noneMatch(SqlStatement::nonTransactional);
    }

    private MigrationTrace transactional(Connection c, CheckedMigration m, boolean keep) throws SQLException {
        setup(c);
        MigrationTrace one = OneMessageTrace.trace(c, m, keep, roundTrip, helpers);
        if (one != null) {
            return one;
        }
        c.setAutoCommit(false);
        List<StatementTrace> traces = new ArrayList<>();
        List<RoundTripProblem> problems = new ArrayList<>();
        String error = null;
        int errorLine = 0;
        boolean commit = false;
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            // No probe is carried over from the previous migration: in PostgreSQL 15+ the pg_stat_xact_* counters
            // include counts of earlier transactions that are not flushed yet, so each transaction reads its own baseline.
            Probe prev = null;
            Set<Long> existing = null;
            for (int i = 0; i < m.up().size(); i++) {
                SqlStatement s = m.up().get(i);
                if (error != null || s.transactionControl() || s.nonTransactional()) {
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                    continue;
                }
                boolean opaque = opaque(s);
                if (prev == null && opaque) {
                    prev = Probe.read(c);
                }
                Catalog before = opaque ? Catalog.read(c) : null;
                List<Probe> probes;
                try {
                    if (opaque) {
                        // Function calls and DO blocks may return anything (CALL confuses a multi-result batch): run alone.
                        st.execute(s.sql());
                        probes = List.of(Probe.read(c));
                    } else {
                        // One round trip: [probe;] statement; probe. Fine here: we are inside a transaction block.
                        probes = probes(st, (prev == null ? probeFirst(helpers) + ";\n" : "") + s.sql() + "\n;\n" + probe(helpers));
                    }
                } catch (SQLException e) {
                    error = oneLine(e);
                    errorLine = s.line();
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                    continue;
                }
                if (probes.isEmpty()) {
                    throw new IllegalStateException("no probe result after: " + s.sql());
                }
                if (prev == null) {
                    prev = probes.get(0);
                }
                if (existing == null) {
                    existing = new HashSet<>(prev.tables.keySet());
                }
                Probe now = probes.get(probes.size() - 1).over(prev);
                List<String> changes = before == null ? List.of() : before.breakingChanges(Catalog.read(c));
                traces.add(new StatementTrace(i, s.line(), true, Probe.effects(prev, now, existing), changes));
                prev = now;
            }
            if (error == null && roundTrip && m.down() != null) {
                RoundTrip.inTransaction(c, st, m, problems, helpers == Touched.Level.TRIGGERS);
            }
            commit = keep && error == null;
        } finally {
            end(c, commit);
        }
        return new MigrationTrace(traces, error, errorLine, problems);
    }

    /**
     * Executes a batch and returns the probe results in it, in order. One simple-protocol message ({@link SimpleProtocol}):
     * always inside a transaction here, where that changes nothing but the client's and server's cost per statement.
     */
    private static List<Probe> probes(Statement st, String sql) throws SQLException {
        List<Probe> out = new ArrayList<>();
        boolean rs = SimpleProtocol.execute(st, sql);
        while (true) {
            if (rs) {
                try (java.sql.ResultSet r = st.getResultSet()) {
                    if (Probe.is(r)) {
                        out.add(Probe.from(r));
                    }
                }
            } else if (st.getUpdateCount() == -1) {
                return out;
            }
            rs = st.getMoreResults();
        }
    }

    /** Statement by statement as Runway runs a non-transactional file (or psql in autocommit). */
    private MigrationTrace autocommit(Connection c, CheckedMigration m, boolean rt) throws SQLException {
        List<StatementTrace> traces = new ArrayList<>();
        List<RoundTripProblem> problems = new ArrayList<>();
        String error = null;
        int errorLine = 0;
        setup(c);
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            boolean anyProbed = m.up().stream().anyMatch(x -> !x.nonTransactional() && !x.transactionControl());
            Set<Long> existing = anyProbed ? new HashSet<>(Probe.read(c).tables.keySet()) : Set.of();
            for (int i = 0; i < m.up().size(); i++) {
                SqlStatement s = m.up().get(i);
                if (error != null || s.transactionControl()) {
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                    continue;
                }
                boolean probed = !s.nonTransactional();
                try {
                    if (!probed) {
                        // CONCURRENTLY, VACUUM, ...: locks and counters cannot be read around them (no transaction).
                        st.execute(s.sql());
                        traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                        continue;
                    }
                    c.setAutoCommit(false);
                    Catalog cat = opaque(s) ? Catalog.read(c) : null;
                    List<Probe> p = opaque(s) ? null : probes(st, probeFirst(helpers) + ";\n" + s.sql() + "\n;\n" + probe(helpers));
                    Probe before;
                    Probe after;
                    if (p == null) {
                        before = Probe.read(c);
                        st.execute(s.sql());
                        after = Probe.read(c).over(before);
                    } else {
                        before = p.get(0);
                        after = p.get(p.size() - 1).over(before);
                    }
                    List<String> changes = cat == null ? List.of() : cat.breakingChanges(Catalog.read(c));
                    traces.add(new StatementTrace(i, s.line(), true, Probe.effects(before, after, existing), changes));
                    c.commit();
                } catch (SQLException e) {
                    error = oneLine(e);
                    errorLine = s.line();
                    if (probed) {
                        c.rollback();
                    }
                    traces.add(new StatementTrace(i, s.line(), false, List.of(), List.of()));
                } finally {
                    c.setAutoCommit(true);
                }
            }
            if (error == null && rt) {
                RoundTrip.run(c, st, m, problems);
            }
        }
        return new MigrationTrace(traces, error, errorLine, problems);
    }

    /** The probe after a statement: a call of the helper function when installed (its plan is kept), else the query. */
    static String probe(Touched.Level helpers) {
        return helpers == Touched.Level.NONE ? Probe.SQL : Touched.PROBE;
    }

    /** The probe before the first statement of a transaction, as {@link #probe}. */
    static String probeFirst(Touched.Level helpers) {
        return helpers == Touched.Level.NONE ? Probe.SQL_FIRST : Touched.PROBE_FIRST;
    }

    /**
     * Session settings, once per connection: a statement timeout (a scratch run must end), the target's TimeZone, and
     * commits that do not wait for the WAL flush — the scratch database is dropped at the end, so its commits need not
     * survive a crash, and on a durable server (fsync on) waiting for each one doubled a check of 1,000 files; locks,
     * rewrites and scans, what the trace observes, are the same. Run in auto-commit, before the migration's
     * transaction: a transaction rolled back (a failing migration) must not take them back.
     */
    private void setup(Connection c) throws SQLException {
        if (c == setUp) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET statement_timeout = '5min'; SET synchronous_commit = off"
                    + (timeZone == null ? "" : "; SET TimeZone = '" + timeZone.replace("'", "''") + "'"));
        }
        setUp = c;
    }

    /** Statements whose effect the SQL text does not show: DO blocks, function and procedure calls. */
    static boolean opaque(SqlStatement s) {
        String kw = s.keyword();
        return kw.equals("DO") || kw.equals("SELECT") || kw.equals("CALL") || kw.equals("EXECUTE") || kw.equals("WITH");
    }

    static String oneLine(SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = msg.indexOf('\n');
        return (nl < 0 ? msg : msg.substring(0, nl)).trim() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** Ends the migration's transaction: commits it when {@code commit}, else rolls it back; back to auto-commit. */
    static void end(Connection c, boolean commit) throws SQLException {
        if (commit) {
            c.commit();
        } else {
            c.rollback();
        }
        c.setAutoCommit(true);
    }
}
