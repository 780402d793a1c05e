package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the primary's WAL position that covers a just-committed write. Which position, and why
 * (research/replicas.md §3.1): after COMMIT, never inside the transaction (its commit record
 * does not exist yet); the flush position, because with {@code synchronous_commit} on/local COMMIT
 * returns only once the commit record is flushed, and the walsender ships flushed WAL, so the
 * position is always one a replica will report; the insert position only for a session that
 * runs async commits, where the flush position could be below the commit (it can point past a
 * page header, so a wait on an idle database may last until the next WAL record). Also reads the
 * primary's current position for the lag check.
 */
final class WalPosition {
    private static final Logger SQL_LOG = LoggerFactory.getLogger("dev.runway.datasource.sql");
    /**
     * COMMIT and the position in one round trip. Before COMMIT, a transaction running with
     * synchronous_commit=off is raised to `local` (SET LOCAL: this transaction only), which keeps
     * every other setting (on, remote_apply...) as the user chose.
     */
    static final String COMMIT_AND_CAPTURE = "SELECT set_config('synchronous_commit', 'local', true)"
            + " WHERE current_setting('synchronous_commit') = 'off'; COMMIT; " + withTimeline("pg_current_wal_flush_lsn()");
    /**
     * The primary's position now, for the lag check (flushed WAL is what the walsender ships), and its
     * timeline: the first 8 hex digits of the name of the WAL segment it is writing, which a promotion
     * increments.
     */
    static final String CURRENT = withTimeline("pg_current_wal_flush_lsn()");

    /** A position of the primary and the timeline it belongs to. */
    record Position(Lsn lsn, int timeline) {
    }
    /** After autocommit writes (one extra round trip per connection, not per statement). */
    static final String CAPTURE = withTimeline("CASE WHEN current_setting('synchronous_commit') = 'off'"
            + " THEN pg_current_wal_insert_lsn() ELSE pg_current_wal_flush_lsn() END");

    /**
     * A position and its timeline: the first 8 hex digits of the WAL segment name, which a promotion
     * increments. With it a capture also tells the data source that the primary changed.
     */
    private static String withTimeline(String lsnExpression) {
        return "SELECT l, ('x' || substr(pg_walfile_name(l), 1, 8))::bit(32)::int FROM (SELECT " + lsnExpression + " AS l) p";
    }

    private WalPosition() {
    }

    /**
     * Commits the open transaction on {@code c} and returns the position covering it (null when
     * {@code capture} is false), then runs {@code after} (statements starting with {@code "; "}, such as
     * invalidation Position notices), all in one round trip.
     */
    static Position commit(Connection c, boolean capture, String after) throws SQLException {
        String sql = (capture ? COMMIT_AND_CAPTURE : "COMMIT") + after;
        SQL_LOG.debug("{}", sql);
        Position pos = null;
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            do { // results: the set_config row (if any), COMMIT's count, the position, the notices' empty rows
                ResultSet rs = st.getResultSet();
                if (rs != null) {
                    try (rs) {
                        if (rs.next() && rs.getString(1) != null && rs.getString(1).contains("/")) {
                            pos = new Position(Lsn.parse(rs.getString(1)), rs.getInt(2));
                        }
                    }
                }
            } while (st.getMoreResults() || st.getUpdateCount() != -1);
        }
        return pos;
    }

    /** Runs {@code after} (as given to {@link #commit}) after an autocommit switch committed; failures are logged. */
    static void announce(Connection c, String after) {
        String sql = after.substring(2);
        SQL_LOG.debug("{}", sql);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            LoggerFactory.getLogger(WalPosition.class).warn("runway: committed, but the invalidation position notice failed ({});"
                    + " receivers fall back", e.getMessage());
        }
    }

    /** The position covering every write committed so far on {@code c} (autocommit). */
    static Position afterAutocommit(Connection c) throws SQLException {
        SQL_LOG.debug("{}", CAPTURE);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(CAPTURE)) {
            rs.next();
            return new Position(Lsn.parse(rs.getString(1)), rs.getInt(2));
        }
    }

    /**
     * The primary's flush position now, which every replica streaming from it will reach. One short
     * statement on an autocommit pool connection: no snapshot is kept.
     */
    static Position current(Connection c) throws SQLException {
        SQL_LOG.debug("{}", CURRENT);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(CURRENT)) {
            rs.next();
            return new Position(Lsn.parse(rs.getString(1)), rs.getInt(2));
        }
    }
}
