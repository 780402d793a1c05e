package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import dev.runway.core.notify.NotifySql;
import dev.runway.core.pg.SqlStates;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection handed to the application: records read-only, auto-commit, isolation and the
 * like until the first real use, then binds to the replica (read-only) or the primary. Captures
 * the WAL position after each write commit. Not thread-safe, like any JDBC connection.
 *
 * <p>Binding late is what makes {@code @Transactional(readOnly = true)} work: Spring's transaction
 * manager gets the connection first and calls {@code setReadOnly(true)} after (spring-framework
 * #25323). A read-write switch outside a transaction returns the physical connection to its pool,
 * so the next statement binds again.
 */
public final class RoutingConnection implements InvocationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingConnection.class);

    private final Router router;
    private final boolean intoSession;
    private final Connection proxy;
    private Connection physical;
    private Router.Target target;
    private boolean readOnly;
    private boolean autoCommit = true;
    private Integer isolation;
    private Integer holdability;
    private String schema;
    private String catalog;
    private Executor timeoutExecutor;
    private Integer networkTimeout;
    private boolean closed;
    private boolean pendingCapture;
    private boolean executedOnBinding;
    private Lsn lastLsn;
    private Announcements announcements;

    /** @param intoSession whether captured positions raise the current session's requirement */
    public RoutingConnection(Router router, boolean readOnly, boolean intoSession) {
        this.router = router;
        this.readOnly = readOnly;
        this.intoSession = intoSession;
        this.proxy = Proxies.connection(this);
    }

    public Connection proxy() {
        return proxy;
    }

    /** The position captured after the last write commit on this connection, or null. */
    public Lsn lastLsn() throws SQLException {
        capturePending();
        return lastLsn;
    }

    /**
     * The token naming the open transaction's invalidation notices (one per transaction). After
     * {@link #announce} this transaction's COMMIT (by {@code commit()} or {@code setAutoCommit(true)})
     * also sends the {@code Position} notice for it, in the COMMIT's own round trip.
     */
    public String noticeToken() {
        if (announcements == null) {
            announcements = new Announcements(NotifySql.token());
        }
        return announcements.token;
    }

    /**
     * Records that the open transaction sent notices on {@code channel} with {@link #noticeToken()}.
     *
     * @param xid the transaction's id ({@code pg_current_xact_id()}), to tell after a failed round
     *     trip whether the COMMIT itself went through
     */
    public void announce(String channel, String xid) {
        noticeToken();
        announcements.channels.add(channel);
        announcements.xid = xid;
    }

    /** The Position notices owed by one transaction: one per channel, all with its token. */
    private static final class Announcements {
        final String token;
        final Set<String> channels = new LinkedHashSet<>();
        String xid;

        Announcements(String token) {
            this.token = token;
        }

        /** {@code ; SELECT pg_notify(...)} per channel: appended to the COMMIT. */
        String sql() {
            StringBuilder b = new StringBuilder();
            for (String ch : channels) {
                b.append("; ").append(NotifySql.positionSql(ch, token));
            }
            return b.toString();
        }
    }

    @Override
    public Object invoke(Object p, Method m, Object[] args) throws Throwable {
        String name = m.getName();
        switch (name) {
            case "equals":
                return p == args[0];
            case "hashCode":
                return System.identityHashCode(p);
            case "toString":
                return "RunwayConnection[" + (target == null ? "unbound" : target) + (readOnly ? ", read-only" : "") + "]";
            case "close":
                close();
                return null;
            case "isClosed":
                return closed;
            case "isWrapperFor":
                if (args[0] == RoutingConnection.class) {
                    return true;
                }
                break;
            case "unwrap":
                if (args[0] == RoutingConnection.class) {
                    return this;
                }
                break;
            case "abort":
                closed = true;
                if (physical != null) {
                    physical.abort((Executor) args[0]);
                }
                return null;
            default:
                break;
        }
        if (closed) {
            throw new SQLException("runway: connection is closed", "08003");
        }
        switch (name) {
            case "setReadOnly":
                setReadOnly((Boolean) args[0]);
                return null;
            case "isReadOnly":
                return readOnly;
            case "setAutoCommit":
                setAutoCommit((Boolean) args[0]);
                return null;
            case "getAutoCommit":
                return autoCommit;
            case "commit":
                commit();
                return null;
            case "rollback":
                announcements = null;
                if (physical != null) {
                    return forward(m, args);
                }
                return null;
            case "getWarnings":
                return physical == null ? null : forward(m, args);
            case "clearWarnings":
                return physical == null ? null : forward(m, args);
            case "setTransactionIsolation":
                isolation = (Integer) args[0];
                return physical == null ? null : forward(m, args);
            case "getTransactionIsolation":
                return physical == null ? (isolation == null ? Connection.TRANSACTION_READ_COMMITTED : isolation) : forward(m, args);
            case "setHoldability":
                holdability = (Integer) args[0];
                return physical == null ? null : forward(m, args);
            case "setSchema":
                schema = (String) args[0];
                return physical == null ? null : forward(m, args);
            case "setCatalog":
                catalog = (String) args[0];
                return physical == null ? null : forward(m, args);
            case "setNetworkTimeout":
                timeoutExecutor = (Executor) args[0];
                networkTimeout = (Integer) args[1];
                return physical == null ? null : forward(m, args);
            case "createStatement":
            case "prepareStatement":
            case "prepareCall":
                bind();
                return statement(m, args);
            default:
                bind();
                return forward(m, args);
        }
    }

    private Object forward(Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(physical, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object statement(Method m, Object[] args) throws Throwable {
        Statement real = (Statement) forward(m, args);
        RoutedStatement h = new RoutedStatement(this, real, m, args, target == Router.Target.REPLICA);
        return Proxies.statement(m.getReturnType(), h);
    }

    private void bind() throws SQLException {
        if (physical != null) {
            return;
        }
        Router.Bound b = readOnly ? router.openRead() : new Router.Bound(router.openPrimary(), Router.Target.PRIMARY);
        physical = b.connection();
        target = b.target();
        executedOnBinding = false;
        try {
            applySettings();
        } catch (SQLException e) {
            release();
            throw e;
        }
    }

    private void applySettings() throws SQLException {
        if (readOnly) {
            physical.setReadOnly(true);
        }
        if (!autoCommit) {
            physical.setAutoCommit(false);
        }
        if (isolation != null) {
            physical.setTransactionIsolation(isolation);
        }
        if (holdability != null) {
            physical.setHoldability(holdability);
        }
        if (schema != null) {
            physical.setSchema(schema);
        }
        if (catalog != null) {
            physical.setCatalog(catalog);
        }
        if (networkTimeout != null) {
            physical.setNetworkTimeout(timeoutExecutor, networkTimeout);
        }
    }

    private void setReadOnly(boolean v) throws SQLException {
        if (physical != null && v != readOnly) {
            if (autoCommit && transactionState() == TransactionState.IDLE) {
                // Outside a transaction the switch is free: give this connection back and bind again
                // at the next statement, to the side the new mode calls for.
                capturePending();
                release();
            } else {
                physical.setReadOnly(v);
            }
        }
        readOnly = v;
    }

    private void setAutoCommit(boolean v) throws SQLException {
        if (physical != null && v != autoCommit) {
            if (!v) {
                capturePending();
            }
            boolean committing = v && transactionState() == TransactionState.OPEN;
            Announcements owed = v ? takeAnnouncements() : null;
            physical.setAutoCommit(v); // true while a transaction is open commits it (JDBC 4.3 §10.1.1)
            if (committing && target == Router.Target.PRIMARY && !readOnly) {
                pendingCapture = router.capturesWrites();
            }
            if (committing && owed != null && target == Router.Target.PRIMARY) {
                WalPosition.announce(physical, owed.sql());
            }
        }
        autoCommit = v;
    }

    private void commit() throws SQLException {
        Announcements owed = takeAnnouncements();
        if (physical == null) {
            return; // nothing ran: nothing to commit
        }
        boolean announcing = owed != null && target == Router.Target.PRIMARY;
        if (!announcing && (target != Router.Target.PRIMARY || readOnly || !router.capturesWrites())) {
            try {
                physical.commit();
            } catch (SQLException e) {
                if (target == Router.Target.REPLICA && SqlStates.isServerUnavailable(e)) {
                    // Ending a read-only transaction whose replica died after the reads: nothing is lost.
                    router.health().markDown(e);
                    return;
                }
                throw e;
            }
            return;
        }
        TransactionState state = transactionState();
        if (state != TransactionState.OPEN) {
            physical.commit(); // IDLE: nothing to do; FAILED: the driver raises the rollback
            return;
        }
        boolean capture = !readOnly && router.capturesWrites();
        WalPosition.Position pos;
        try {
            // COMMIT and the position (and any Position notices) in one round trip: no extra latency for the write.
            pos = WalPosition.commit(physical, announcing ? capture : true, announcing ? owed.sql() : "");
        } catch (SQLException e) {
            if (announcing && NotifySql.committed(physical, owed.xid, e)) {
                // Only the Position notices failed (e.g. the NOTIFY queue filled up between the two
                // commits): the write is committed, and receivers fall back to asking the primary.
                LOG.warn("runway: committed, but the invalidation position notice failed ({}); receivers fall back", e.getMessage());
                pos = capture ? WalPosition.current(physical) : null;
            } else {
                failed(e);
                if (SqlStates.isServerUnavailable(e)) {
                    router.wroteAtUnknownPosition(intoSession); // the COMMIT may have gone through before the connection died
                }
                throw e;
            }
        }
        if (!announcing || capture) {
            captured(pos);
        }
    }

    /**
     * A statement failed: on a read-write primary connection, a lost connection or SQLSTATE 25006 (the
     * server is read-only: a demoted primary behind the same address) tells the router the primary may
     * have changed.
     */
    void failed(SQLException e) {
        if (target == Router.Target.PRIMARY && !readOnly && (SqlStates.isServerUnavailable(e) || SqlStates.isReadOnly(e))) {
            router.primaryFailed(e);
        }
    }

    private Announcements takeAnnouncements() {
        Announcements a = announcements;
        announcements = null;
        return a == null || a.channels.isEmpty() ? null : a;
    }

    void statementExecuted() {
        executedOnBinding = true;
        if (autoCommit && target == Router.Target.PRIMARY && !readOnly && router.capturesWrites()) {
            pendingCapture = true;
        }
    }

    boolean canRetryOnPrimary(SQLException e) {
        return target == Router.Target.REPLICA && (autoCommit || !executedOnBinding) && SqlStates.isServerUnavailable(e);
    }

    /** Moves a read that failed on the replica before doing anything to the primary; returns the new physical connection. */
    Connection rebindToPrimary(SQLException cause) throws SQLException {
        Connection dead = physical;
        physical = null;
        try {
            dead.close();
        } catch (SQLException ignored) {
            cause.addSuppressed(ignored);
        }
        physical = router.retryReadOnPrimary(cause);
        target = Router.Target.PRIMARY;
        executedOnBinding = false;
        applySettings();
        return physical;
    }

    /** A clear error for a connection lost mid-use, naming the server (never its password). */
    SQLException connectionLost(SQLException cause) {
        boolean primary = target == Router.Target.PRIMARY;
        String who = primary ? "the primary " + router.config().primaryUrl() : "the replica " + router.config().replicaUrl();
        String tail = primary && !readOnly ? "; a write in flight may or may not have committed" : "";
        return new SQLException("runway: lost the connection to " + who + " (" + cause.getMessage() + ")" + tail,
                cause.getSQLState(), cause);
    }

    Connection proxyConnection() {
        return proxy;
    }

    private void capturePending() throws SQLException {
        if (!pendingCapture || physical == null) {
            return;
        }
        pendingCapture = false;
        captured(WalPosition.afterAutocommit(physical));
    }

    private void captured(WalPosition.Position pos) {
        if (pos != null) {
            lastLsn = pos.lsn();
            router.wrote(pos, intoSession);
        }
    }

    private TransactionState transactionState() throws SQLException {
        return physical.unwrap(BaseConnection.class).getTransactionState();
    }

    private void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (physical != null) {
            try {
                capturePending();
            } catch (SQLException e) {
                // The writes are committed: never turn that into a failure. The session's next read
                // asks the primary for its position first (or reads there).
                LOG.warn("runway: could not read the WAL position after a committed write ({}); the next read of this session"
                        + " first asks the primary for its position", e.getMessage());
                failed(e);
                router.wroteAtUnknownPosition(intoSession);
            } finally {
                release();
            }
        }
    }

    private void release() throws SQLException {
        Connection c = physical;
        physical = null;
        target = null;
        pendingCapture = false;
        announcements = null;
        if (c != null) {
            c.close();
        }
    }
}
