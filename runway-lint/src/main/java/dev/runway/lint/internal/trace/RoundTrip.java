package dev.runway.lint.internal.trace;

import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.internal.trace.MigrationTrace.RoundTripProblem;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The down round trip of one migration whose up section has just run: down, up again, and the schema
 * must equal the one after the first up ({@link Catalog}). Inside a transaction (savepoint
 * {@code runway_round_trip}, set by the caller) with {@link Touched} recording, only the objects the
 * down and up touched are read, after them and again after rolling back to the savepoint; when those
 * differ, the whole schema is compared to name the differences (down and up run once more). Inside a
 * transaction without recording, catalog hashes are compared and the details read on a mismatch; on a
 * non-transactional migration the full catalog is read before. Stateless.
 */
final class RoundTrip {
    private RoundTrip() {
    }

    /**
     * Up already applied: down, up again, compare (inside the caller's transaction or on a copy).
     *
     * @param savepoint inside the caller's transaction, which has set savepoint {@code runway_round_trip}
     * @param touched   {@link Touched}'s triggers are installed (only with {@code savepoint})
     */
    static void run(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems, boolean savepoint, boolean touched)
            throws SQLException {
        if (savepoint && touched) {
            st.execute(Touched.START);
            if (!downUp(st, m, c, problems)) {
                return;
            }
            Touched.Scope scope;
            try {
                scope = Touched.read(st);
            } catch (SQLException e) {
                // The migration dropped the recording table: the rollback below recovers, the whole schema decides.
                scope = null;
            }
            if (scope != null && scope.isEmpty()) {
                return;
            }
            Catalog second = scope == null ? null : Catalog.read(c, scope);
            st.execute("ROLLBACK TO SAVEPOINT runway_round_trip");
            if (scope != null && Catalog.read(c, scope).sameAs(second)) {
                return;
            }
            // A difference (or recording switched off): name it from the whole schema, down and up once more.
            Catalog first = Catalog.read(c);
            if (downUp(st, m, c, problems)) {
                report(first, Catalog.read(c), problems);
            }
            return;
        }
        // Inside a savepoint only hashes are compared; on a mismatch the details are read, then the first state by rewinding.
        long since = savepoint ? Catalog.transactionXid(c) : -1;
        String firstHash = savepoint ? Catalog.hash(c, since) : null;
        Catalog first = savepoint ? null : Catalog.read(c);
        if (!downUp(st, m, c, problems)) {
            return;
        }
        if (savepoint && firstHash.equals(Catalog.hash(c, since))) {
            return;
        }
        Catalog second = Catalog.read(c);
        if (savepoint) {
            st.execute("ROLLBACK TO SAVEPOINT runway_round_trip");
            first = Catalog.read(c);
        }
        report(first, second, problems);
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
