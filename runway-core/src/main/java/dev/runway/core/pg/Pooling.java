package dev.runway.core.pg;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;

/**
 * What sits between a client session and PostgreSQL, as far as the session can tell, and how to tell.
 *
 * <p>A protocol-level pooler (PgBouncer, and the others that answer the startup handshake themselves)
 * sends the client its own cancel key: the process id in the {@code BackendKeyData} message then is not
 * the {@code pg_backend_pid()} of the server session that answers queries. A plain TCP proxy (Fly's
 * proxy, HAProxy, runway-lab's delay proxy) forwards the server's message, so the two agree. That
 * comparison is exact and costs one query ({@link #behindPooler}).
 *
 * <p>Whether a pooler keeps one client on one server session (session pooling) or hands each
 * transaction to whichever server session is free (transaction pooling) cannot be read from the
 * protocol. {@link #detect} proves transaction pooling by seeing it happen: a second client of the same
 * pooler lands on the server session the first one just used, or the first client's next statement runs
 * on another one. PgBouncer reuses the most recently released server first (its default
 * {@code server_round_robin = 0}), so on a quiet pool the first probe query already shows it. No
 * evidence after the probe rounds is reported as {@link #SESSION}: callers that depend on session state
 * keep checking it (see runway-migrate's MigrationLock). Stateless; thread-safe.
 */
public enum Pooling {
    /** No protocol-level pooler: the client talks to the server session it started. */
    NONE,
    /** A pooler that kept the client on one server session in every probe (session pooling). */
    SESSION,
    /** A pooler that hands the client's transactions to different server sessions (transaction pooling). */
    TRANSACTION;

    /** Probe rounds of {@link #detect}: two round trips each. */
    public static final int ROUNDS = 3;

    /** The process id the server (or a pooler in its place) announced at connection start. */
    public static int announcedPid(Connection c) throws SQLException {
        return c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
    }

    /** {@code pg_backend_pid()} of the server session that runs this statement. */
    public static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** True when a protocol-level pooler answered the connection's startup (one query). */
    public static boolean behindPooler(Connection c) throws SQLException {
        return announcedPid(c) != backendPid(c);
    }

    /**
     * Tells direct connections, session pooling and transaction pooling apart. {@code c} must be in
     * autocommit with no transaction open. Only behind a pooler is {@code second} called: it must open
     * another connection through the same address, which is closed before this returns.
     */
    public static Pooling detect(Connection c, Callable<Connection> second) throws SQLException {
        return detect(c, backendPid(c), second);
    }

    /**
     * {@link #detect(Connection, Callable)} for a caller that already read {@code pg_backend_pid()} on {@code c}
     * ({@code mine}), e.g. together with other statements in one round trip.
     */
    public static Pooling detect(Connection c, int mine, Callable<Connection> second) throws SQLException {
        if (announcedPid(c) == mine) {
            return NONE;
        }
        try (Connection other = open(second)) {
            for (int round = 0; round < ROUNDS; round++) {
                if (backendPid(other) == mine || backendPid(c) != mine) {
                    return TRANSACTION;
                }
            }
        }
        return SESSION;
    }

    private static Connection open(Callable<Connection> second) throws SQLException {
        try {
            return second.call();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("cannot open a second connection to probe the pooler: " + e.getMessage(), "08001", e);
        }
    }
}
