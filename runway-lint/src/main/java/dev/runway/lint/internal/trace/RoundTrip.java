package dev.runway.lint.internal.trace;

import dev.runway.core.pg.SimpleProtocol;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.internal.trace.MigrationTrace.RoundTripProblem;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The down round trip of one migration whose up section has just run: down, up again, and the schema
 * must equal the one after the first up ({@link Catalog}). Inside the migration's transaction it runs
 * under savepoint {@code runway_round_trip} and leaves the transaction as the first up left it. With
 * {@link Touched} recording, only the objects the down and up touched are read, after them and again
 * after rolling back to the savepoint; when those differ, the whole schema is compared to name the
 * differences (down and up run once more). Without recording, catalog hashes are compared and the
 * details read on a mismatch. On a non-transactional migration the full catalog is read before and
 * after. Stateless.
 */
final class RoundTrip {
    static final String ROLLBACK = "ROLLBACK TO SAVEPOINT runway_round_trip";
    /** The round trip's savepoint, and {@link Touched}'s recording on until the rollback to it. */
    private static final String START = "SAVEPOINT runway_round_trip;\n" + Touched.START;

    private RoundTrip() {
    }

    /**
     * Up already applied inside the caller's transaction: down, up again, compare; then back to the state after the first up.
     *
     * @param touched {@link Touched}'s triggers are installed
     */
    static void inTransaction(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems, boolean touched)
            throws SQLException {
        if (!touched) {
            st.execute("SAVEPOINT runway_round_trip");
            hashed(c, st, m, problems);
            st.execute(ROLLBACK);
            return;
        }
        Snapshot now = batched(st, m);
        if (now == null) {
            stepByStep(c, st, m, problems);
            return;
        }
        compare(c, st, m, problems, now);
    }

    /**
     * {@link #inTransaction} with recording when its text in one message ({@link #downUpText}) failed and the
     * transaction is back at the state after the first up: step by step, so that a failing statement is named (the
     * savepoint and recording; down; up; what was touched), then {@link #compare}.
     */
    static void stepByStep(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems) throws SQLException {
        st.execute(START);
        if (!downUp(st, m, c, problems)) {
            st.execute(ROLLBACK);
            return;
        }
        Snapshot now;
        try (ResultSet rs = st.executeQuery(Touched.SNAPSHOT_NOW)) {
            now = Snapshot.of(rs);
        } catch (SQLException e) {
            // The migration dropped the recording table: the rollback below recovers, the whole schema decides.
            now = new Snapshot(null, null);
        }
        compare(c, st, m, problems, now);
    }

    /**
     * The second half of {@link #inTransaction} with recording: down and up have run under savepoint
     * {@code runway_round_trip} and {@code now} is what they touched ({@link Touched#SNAPSHOT_NOW}); compares it with
     * the same objects after rolling back to the savepoint, where it leaves the transaction.
     */
    static void compare(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems, Snapshot now)
            throws SQLException {
        compare(c, st, m, problems, now, false);
    }

    /**
     * {@link #compare(Connection, Statement, CheckedMigration, List, Snapshot)}; with {@code commit}, the transaction
     * may be committed in the same message as the rollback to the savepoint (one round trip fewer per migration),
     * which this returns true for. When the objects then differ, the differences are named in a new transaction from
     * the committed state, which is the one after the first up (its savepoint rolled back; the caller ends it).
     */
    static boolean compare(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems, Snapshot now,
                           boolean commit) throws SQLException {
        Touched.Scope scope = now.scope();
        Catalog second = now.catalog();
        String then = commit ? ";\nCOMMIT" : "";
        if (scope != null && scope.isEmpty()) {
            SimpleProtocol.execute(st, ROLLBACK + then);
            return commit;
        }
        boolean committed = false;
        if (scope != null) {
            SimpleProtocol.execute(st, ROLLBACK + ";\n" + Touched.snapshot(scope) + then);
            committed = commit;
            if (st.getMoreResults()) {
                try (ResultSet rs = st.getResultSet()) {
                    if (Catalog.from(rs).sameAs(second)) {
                        return committed;
                    }
                }
            }
            if (committed) {
                st.execute("SAVEPOINT runway_round_trip"); // opens the new transaction
            }
        } else {
            st.execute(ROLLBACK);
        }
        // A difference (or recording switched off): name it from the whole schema, down and up once more.
        Catalog first = Catalog.read(c);
        if (downUp(st, m, c, problems)) {
            report(first, Catalog.read(c), problems);
        }
        st.execute(ROLLBACK);
        return committed;
    }

    /** The scope touched and its snapshot after down and up (both null when recording was off or its table is gone). */
    record Snapshot(Touched.Scope scope, Catalog catalog) {
        /** From {@link Touched#SNAPSHOT_NOW}'s result. */
        static Snapshot of(ResultSet rs) throws SQLException {
            Touched.Scope scope = Touched.scope(rs);
            return new Snapshot(scope, scope == null || scope.isEmpty() ? null : Catalog.from(rs));
        }
    }

    /**
     * The savepoint, recording, down, up and {@link Touched#SNAPSHOT_NOW} in one round trip, when no
     * statement may return rows of its own (DO, SELECT, CALL, ...). Null, with the transaction back at
     * the savepoint, when anything fails: the caller runs them again one by one to name the statement.
     */
    private static Snapshot batched(Statement st, CheckedMigration m) throws SQLException {
        String sql = downUpText(m, false);
        if (sql == null) {
            return null;
        }
        // The savepoint first, on its own: text the server cannot parse (a syntax error in the down section) fails the
        // whole message before any of it runs, and the rollback below needs the savepoint.
        st.execute(START);
        Snapshot out = null;
        try {
            boolean rs = SimpleProtocol.execute(st, sql); // one message; inside the caller's transaction
            while (true) {
                if (rs) {
                    try (ResultSet r = st.getResultSet()) {
                        if (isSnapshot(r)) {
                            out = Snapshot.of(r);
                        }
                    }
                } else if (st.getUpdateCount() == -1) {
                    break;
                }
                rs = st.getMoreResults();
            }
        } catch (SQLException e) {
            st.execute(ROLLBACK);
            return null;
        }
        if (out == null) {
            st.execute(ROLLBACK);
        }
        return out;
    }

    /** True when {@code r} is {@link Touched#SNAPSHOT_NOW}'s result. */
    static boolean isSnapshot(ResultSet r) throws SQLException {
        return r.getMetaData().getColumnCount() == 3 && r.getMetaData().getColumnLabel(1).equals("k");
    }

    /**
     * The round trip's text after the up section: ({@code savepoint}: the savepoint and recording,) down, up and
     * {@link Touched#SNAPSHOT_NOW}; null when a statement may return rows of its own (DO, SELECT, CALL, ...).
     */
    static String downUpText(CheckedMigration m, boolean savepoint) {
        StringBuilder sql = new StringBuilder(savepoint ? START + ";\n" : "");
        for (List<SqlStatement> l : List.of(m.down(), m.up())) {
            for (SqlStatement s : l) {
                if (Tracer.opaque(s)) {
                    return null;
                }
                if (!s.transactionControl() && !s.nonTransactional()) {
                    sql.append(s.sql()).append("\n;\n");
                }
            }
        }
        return sql.append(Touched.SNAPSHOT_NOW).toString();
    }

    /** Inside savepoint {@code runway_round_trip}: compares catalog hashes, reads the details on a mismatch. */
    private static void hashed(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems) throws SQLException {
        long since = Catalog.transactionXid(c);
        String firstHash = Catalog.hash(c, since);
        if (!downUp(st, m, c, problems) || firstHash.equals(Catalog.hash(c, since))) {
            return;
        }
        Catalog second = Catalog.read(c);
        st.execute(ROLLBACK);
        report(Catalog.read(c), second, problems);
    }

    /** Up already applied on a non-transactional migration (autocommit, in place or on a copy): down, up again, compare. */
    static void run(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems) throws SQLException {
        Catalog first = Catalog.read(c);
        if (downUp(st, m, c, problems)) {
            report(first, Catalog.read(c), problems);
        }
    }

    /** Runs down, then up; false (and a problem added) when a statement fails. */
    private static boolean downUp(Statement st, CheckedMigration m, Connection c, List<RoundTripProblem> problems) throws SQLException {
        Failure failed = runAll(st, m.down(), c);
        if (failed != null) {
            problems.add(new RoundTripProblem("down-fails", failed.statement().line(), failed.message()));
            return false;
        }
        failed = runAll(st, m.up(), c);
        if (failed != null) {
            problems.add(new RoundTripProblem("up-fails-after-down", failed.statement().line(), failed.message()));
            return false;
        }
        return true;
    }

    private static void report(Catalog first, Catalog second, List<RoundTripProblem> problems) {
        List<String> diff = first.differences(second);
        if (!diff.isEmpty()) {
            problems.add(new RoundTripProblem("differs", 0, String.join("; ", diff.subList(0, Math.min(5, diff.size())))
                    + (diff.size() > 5 ? "; and " + (diff.size() - 5) + " more" : "")));
        }
    }

    /** A statement that failed and its error. */
    private record Failure(SqlStatement statement, String message) {
    }

    /** Runs statements; returns the failure, or null. */
    private static Failure runAll(Statement st, List<SqlStatement> l, Connection c) throws SQLException {
        boolean tx = !c.getAutoCommit();
        for (SqlStatement s : l) {
            if (s.transactionControl() || tx && s.nonTransactional()) {
                continue;
            }
            try {
                st.execute(s.sql());
            } catch (SQLException e) {
                // Inside a transaction the caller rolls back to its savepoint; the failing statement is what matters.
                return new Failure(s, Tracer.oneLine(e));
            }
        }
        return null;
    }

}
