package dev.runway.core;

import java.sql.SQLException;

/**
 * The one unchecked exception Runway throws. Its {@link #code()} decides the exit code; its
 * message is one line that names the file, line, key or flag at fault and the next step.
 * A wrapped {@link SQLException} keeps its SQLSTATE, available from {@link #sqlState()}.
 */
public class RunwayException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public RunwayException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public RunwayException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** SQLSTATE of the first {@link SQLException} in the cause chain, or null. */
    public String sqlState() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }

    /** Shorthand for a usage/configuration error. */
    public static RunwayException usage(String message) {
        return new RunwayException(ErrorCode.USAGE, message);
    }
}
