package dev.runway.migrate.internal;

import java.sql.SQLException;

/** Formats database errors for one-line messages and classifies the ones the engine acts on. */
public final class SqlErrors {
    /** lock_not_available: lock_timeout expired (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    private SqlErrors() {
    }

    public static boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
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
