package dev.runway.datasource;

import java.sql.SQLTransientException;

/**
 * Thrown by a read under {@link TimeoutPolicy#THROW} when the local replica did not replay the
 * required WAL position in time. SQLSTATE {@code 57014} (query cancelled), so generic retry logic
 * treats it as transient. Nothing was executed on any server.
 */
public class ReplicaLagException extends SQLTransientException {
    private static final long serialVersionUID = 1L;

    public ReplicaLagException(String message) {
        super(message, "57014");
    }
}
