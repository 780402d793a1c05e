package dev.runway.datasource.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Which WAL history an LSN belongs to: the cluster's system identifier (shared by a primary and
 * its physical replicas, different for any other cluster) and the primary's current timeline
 * (incremented by every promotion). An LSN means nothing under another identity.
 *
 * @param systemId {@code pg_control_system().system_identifier}
 * @param timeline the primary's current timeline
 */
public record ServerIdentity(long systemId, int timeline) {
    // pg_walfile_name() names the segment on the *current* timeline (its first 8 hex digits),
    // which pg_control_checkpoint() would only show after the next checkpoint.
    private static final String SQL = "SELECT system_identifier, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"
            + " FROM pg_control_system()";

    /** Reads the identity of the primary {@code c} is connected to. */
    public static ServerIdentity of(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SQL)) {
            rs.next();
            return new ServerIdentity(rs.getLong(1), rs.getInt(2));
        }
    }
}
