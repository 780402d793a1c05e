package dev.runway.migrate.internal;

import java.sql.SQLException;

/**
 * Formats database errors for one-line messages. Which errors the engine acts on is
 * {@link dev.runway.core.pg.SqlStates}'s business.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** {@code ERROR: column "x" does not exist [42703]}: first line of the server message plus SQLSTATE. */
    public static String oneLine(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        return e.getSQLState() == null ? m : m + " [" + e.getSQLState() + "]";
    }
}
