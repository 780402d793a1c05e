package dev.runway.migrate.lock;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;

/**
 * The connection goes through a transaction-pooling proxy, where the migration lock cannot hold:
 * exit code 2 (a configuration to change, not a condition that passes), before anything changed.
 */
public final class TransactionPoolingException extends RunwayException {
    private static final long serialVersionUID = 1L;

    /**
     * @param where the masked address that was used
     * @param seen  what showed it, e.g. which server sessions answered
     * @param outcome what was left, e.g. "Nothing was changed."
     */
    public TransactionPoolingException(String where, String seen, String outcome) {
        super(ErrorCode.USAGE, where + " goes through a transaction-pooling proxy (such as PgBouncer with pool_mode=transaction;"
                + " " + seen + "): each transaction may run on another server session, so the migration lock cannot keep"
                + " concurrent releases apart. " + outcome + " Give runway a direct address or a session-pooled one:"
                + " set RUNWAY_MIGRATE_URL (or --url) to it, e.g. Fly Managed Postgres's direct URL instead of its pgbouncer"
                + " one (docs/deploying.md)");
    }
}
