package dev.runway.core.pg;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one classifier of failures to connect: what a retry may fix (a refused or timed-out
 * connection, a server starting or shutting down, too many connections) is {@link ErrorCode#TEMPORARY}
 * (exit 75); what only a change of configuration fixes is {@link ErrorCode#USAGE} (exit 2), so a
 * deploy script does not retry a wrong password forever. SQLSTATEs from
 * https://www.postgresql.org/docs/current/errcodes-appendix.html. Stateless.
 */
public final class ConnectionErrors {
    /** invalid_password, invalid_authorization_specification (no such role, pg_hba.conf reject). */
    private static final Set<String> AUTHENTICATION = Set.of("28P01", "28000");
    /** invalid_catalog_name: the database does not exist. */
    private static final String NO_DATABASE = "3D000";
    /** pgjdbc's CONNECTION_REJECTED, which it uses for "The server does not support SSL." */
    private static final String REJECTED = "08004";
    private static final Set<String> SSL_REQUIRED = Set.of("require", "verify-ca", "verify-full");

    private ConnectionErrors() {
    }

    /** Why a connection attempt failed, as the exit code sees it. */
    public enum Kind {
        /** Wrong user or password, or pg_hba.conf refuses this user/host: exit 2. */
        AUTHENTICATION,
        /** The database in the URL does not exist: exit 2. */
        NO_DATABASE,
        /** sslmode requires TLS and the server offers none: exit 2. */
        TLS_UNAVAILABLE,
        /** The host name does not resolve: exit 2. */
        UNKNOWN_HOST,
        /** Refused, timed out, reset, server starting or shutting down, too many connections: exit 75. */
        TEMPORARY
    }

    /** Classifies a failure to connect to {@code url}. */
    public static Kind classify(DatabaseUrl url, SQLException e) {
        String state = e.getSQLState();
        if (state != null && AUTHENTICATION.contains(state)) {
            return Kind.AUTHENTICATION;
        }
        if (NO_DATABASE.equals(state)) {
            return Kind.NO_DATABASE;
        }
        String sslmode = url.params().get("sslmode");
        if (REJECTED.equals(state) && sslmode != null && SSL_REQUIRED.contains(sslmode)) {
            return Kind.TLS_UNAVAILABLE;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Kind.UNKNOWN_HOST;
            }
        }
        return Kind.TEMPORARY;
    }

    /** " (SocketTimeoutException: Read timed out)" when pgjdbc's own message does not say what happened, else "". */
    private static String rootCause(SQLException e, String reason) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null || reason.contains(root.getMessage())) {
            return "";
        }
        return " (" + root.getClass().getSimpleName() + ": " + PgSession.firstLine(root.getMessage()) + ")";
    }

    /** One line naming the masked URL, what failed and the next step; the SQLSTATE stays in the cause. */
    public static RunwayException of(DatabaseUrl url, SQLException e) {
        String reason = PgSession.firstLine(e.getMessage());
        String at = "cannot connect to " + url + ": ";
        Kind kind = classify(url, e);
        String message;
        switch (kind) {
            case AUTHENTICATION:
                message = at + reason + " [" + e.getSQLState() + "]; authentication failed: fix the user or password in"
                        + " DATABASE_URL or --url (a retry will not help)";
                break;
            case NO_DATABASE:
                message = at + reason + " [" + e.getSQLState() + "]; create the database or fix its name in DATABASE_URL or --url";
                break;
            case TLS_UNAVAILABLE:
                message = at + reason + " sslmode=" + url.params().get("sslmode") + " requires TLS: enable ssl on the server,"
                        + " or use sslmode=prefer (or disable) in DATABASE_URL or --url";
                break;
            case UNKNOWN_HOST:
                message = at + "unknown host '" + url.host() + "' (it does not resolve); fix the host in DATABASE_URL or --url";
                break;
            default:
                message = at + reason + rootCause(e, reason) + " (check DATABASE_URL or --url; retrying later may succeed)";
        }
        if (url.hasPassword()) {
            // pgjdbc does not echo passwords, but be sure: no secret ever reaches output.
            message = message.replace(url.properties().getProperty("password"), "***");
        }
        return new RunwayException(kind == Kind.TEMPORARY ? ErrorCode.TEMPORARY : ErrorCode.USAGE, message, e);
    }
}
