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
 * {@code runway_round_trip}, set by the caller) only catalog hashes are compared and the details read
 * on a mismatch; on a non-transactional migration the full catalog is read before. Stateless.
 */
final class RoundTrip {
    private RoundTrip() {
    }

    /** Up already applied: down, up again, compare (inside the caller's transaction or on a copy). */
    static void run(Connection c, Statement st, CheckedMigration m, List<RoundTripProblem> problems, boolean savepoint)
            throws SQLException {
        // Inside a savepoint only hashes are compared; on a mismatch the details are read, then the first state by rewinding.
        long since = savepoint ? Catalog.transactionXid(c) : -1;
        String firstHash = savepoint ? Catalog.hash(c, since) : null;
        Catalog first = savepoint ? null : Catalog.read(c);
        Failure failed = runAll(st, m.down(), c);
        if (failed != null) {
            problems.add(new RoundTripProblem("down-fails", failed.statement().line(), failed.message()));
            return;
        }
        failed = runAll(st, m.up(), c);
        if (failed != null) {
            problems.add(new RoundTripProblem("up-fails-after-down", failed.statement().line(), failed.message()));
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
