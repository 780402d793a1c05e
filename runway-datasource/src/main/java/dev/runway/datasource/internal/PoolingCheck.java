package dev.runway.datasource.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.pg.Pooling;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks once, at a pool's first connection, at what sits between the pool and PostgreSQL. Through a
 * transaction pooler (PgBouncer {@code pool_mode=transaction}) everything the data source itself does
 * works: it keeps no session state, reads positions in the statement that needs them, and polls with
 * one stateless query. pgjdbc's server-side prepared statements do not: after {@code prepareThreshold}
 * (default 5) executions a statement is prepared by name on one server session and then executed on
 * another, where it does not exist (PgBouncer before 1.21 does not track them). Such a pool is refused,
 * every time, with the setting that fixes it, unless the URL sets {@code prepareThreshold} itself
 * (0 = never prepare by name; a PgBouncer 1.21+ with {@code max_prepared_statements} handles any).
 * Thread-safe.
 */
final class PoolingCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PoolingCheck.class);
    private final String role;
    private final DatabaseUrl url;
    private volatile Pooling seen;

    /** @param role "primary" or "replica", for messages */
    PoolingCheck(String role, DatabaseUrl url) {
        this.role = role;
        this.url = url;
    }

    /** Checks (once) on {@code c}, an idle pooled connection in autocommit; throws when the pool must not be used. */
    void check(Connection c) throws SQLException {
        Pooling p = seen;
        if (p == null) {
            synchronized (this) {
                p = seen;
                if (p == null) {
                    p = detect(c);
                    seen = p; // null (the probe failed): asked again at the next connection
                }
            }
        }
        if (p == Pooling.TRANSACTION && !url.params().containsKey("prepareThreshold")) {
            throw new SQLNonTransientConnectionException("runway: the " + role + " URL " + url + " goes through a transaction-pooling"
                    + " proxy (such as PgBouncer with pool_mode=transaction), where pgjdbc's server-side prepared statements fail"
                    + " ('prepared statement \"S_1\" does not exist'); add prepareThreshold=0 to the URL (or, with PgBouncer 1.21+ and"
                    + " max_prepared_statements, set prepareThreshold explicitly), or use a session-pooled or direct address", "08004");
        }
    }

    private Pooling detect(Connection c) {
        Pooling p;
        try {
            p = Pooling.detect(c, () -> {
                Properties props = url.properties();
                props.setProperty("ApplicationName", "runway-pooler-probe");
                return DriverManager.getConnection(url.jdbcUrl(), props);
            });
        } catch (SQLException e) {
            LOG.debug("cannot tell what sits in front of the {} yet: {}", role, e.getMessage());
            return null;
        }
        if (p != Pooling.NONE) {
            LOG.info("the {} {} is reached through a {}-pooling proxy", role, url, p == Pooling.TRANSACTION ? "transaction" : "session");
        }
        return p;
    }
}
