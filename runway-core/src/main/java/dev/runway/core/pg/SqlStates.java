package dev.runway.core.pg;

import java.io.IOException;
import java.sql.SQLException;

/**
 * The one classifier of the SQLSTATEs Runway acts on (codes from
 * https://www.postgresql.org/docs/current/errcodes-appendix.html). Stateless.
 *
 * <p>A lost connection has two deliberately different definitions, because the two callers do different
 * things with the answer:
 * <ul>
 *   <li>{@link #isSessionLost}: the release engine asks "is this session still usable?". Any failure of the
 *       connection (class 08) or any operator intervention (class 57P: admin, crash or fast shutdown, server
 *       starting, database dropped, idle-session timeout) ends the session, so the run stops with "run again".
 *       An error without a SQLSTATE is not counted: the engine reports it as the statement's failure.</li>
 *   <li>{@link #isServerUnavailable}: the routing data source asks "may the same statement succeed on another
 *       server?". Only class 08 and a server shutting down or starting (57P01 admin_shutdown, 57P02
 *       crash_shutdown, 57P03 cannot_connect_now) qualify; 57P04 database_dropped and 57P05
 *       idle_session_timeout are the session's own end, not the server's, and are passed to the application.
 *       pgjdbc reports some broken sockets without a SQLSTATE; those count when the cause is an
 *       {@link IOException}.</li>
 * </ul>
 */
public final class SqlStates {
    /** lock_not_available: {@code lock_timeout} expired (or NOWAIT). The only SQLSTATE Runway retries. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** query_canceled: {@code pg_cancel_backend} or {@code statement_timeout}. */
    public static final String QUERY_CANCELED = "57014";
    /** read_only_sql_transaction: a write on a replica or in a read-only transaction. */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    /** serialization_failure: not retried by Runway (a migration's transaction is not idempotent by contract). */
    public static final String SERIALIZATION_FAILURE = "40001";
    /** deadlock_detected: not retried by Runway (lock_timeout is what bounds a migration's lock waits). */
    public static final String DEADLOCK_DETECTED = "40P01";
    /** Class 08, connection exception. */
    private static final String CONNECTION_CLASS = "08";
    /** Class 57P, operator intervention (without 57014 query_canceled, which is class 57 but not 57P). */
    private static final String OPERATOR_INTERVENTION = "57P";

    private SqlStates() {
    }

    /** True when {@code e} is a lock timeout (SQLSTATE 55P03). */
    public static boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    /** True when {@code e} is a cancelled statement (SQLSTATE 57014), whoever cancelled it. */
    public static boolean isQueryCanceled(SQLException e) {
        return QUERY_CANCELED.equals(e.getSQLState());
    }

    /** True when {@code e} is a write refused because the transaction or server is read-only (SQLSTATE 25006). */
    public static boolean isReadOnly(SQLException e) {
        return READ_ONLY_SQL_TRANSACTION.equals(e.getSQLState());
    }

    /**
     * The release engine's rule: the session can no longer be used (class 08, or any 57P). See the class
     * comment for why this is wider than {@link #isServerUnavailable}.
     */
    public static boolean isSessionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith(CONNECTION_CLASS) || state.startsWith(OPERATOR_INTERVENTION));
    }

    /**
     * The routing data source's rule: the server is unreachable or going away, so the statement may succeed on
     * another one (class 08, 57P01..57P03, or no SQLSTATE with an {@link IOException} cause). See the class
     * comment for why this is narrower than {@link #isSessionLost}.
     */
    public static boolean isServerUnavailable(SQLException e) {
        String s = e.getSQLState();
        if (s == null) {
            return e.getCause() instanceof IOException;
        }
        return s.startsWith(CONNECTION_CLASS) || s.equals("57P01") || s.equals("57P02") || s.equals("57P03");
    }
}
