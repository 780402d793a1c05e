package dev.runway.datasource;

import com.zaxxer.hikari.HikariDataSource;
import dev.runway.core.Lsn;
import dev.runway.datasource.internal.ReplicaHealth;
import dev.runway.datasource.internal.Router;
import dev.runway.datasource.internal.RoutingConnection;
import dev.runway.datasource.internal.ServerIdentity;
import dev.runway.datasource.internal.SessionAccess;
import dev.runway.datasource.internal.TokenCodec;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A region-aware {@link DataSource}: read-only connections go to the local replica, everything
 * else to the primary, and a read waits until the replica shows the writes its
 * {@link ConsistencySession} made (read-your-writes by WAL position). Thread-safe; create one per
 * application and {@link #close()} it at shutdown.
 *
 * <p>Routing is decided at the first statement, not in {@link #getConnection()}, so that
 * {@code setReadOnly(true)} called after getting the connection (as Spring's
 * {@code @Transactional(readOnly = true)} does) still selects the replica. Reads fall back to the
 * primary, without an error, when the replica is down, lagging beyond the bound (seen by a waiting
 * read or by the periodic lag check, see {@link RegionConfig#lagCheckInterval()}), not a replica, or
 * does not catch up within {@link RegionConfig#waitTimeout()} (unless the policy is
 * {@link TimeoutPolicy#THROW}). A write whose commit succeeded is never reported as failed.
 */
public final class RunwayDataSource implements DataSource, AutoCloseable {
    private final Router router;
    private final TokenCodec tokens;
    private final ThreadLocal<ConsistencySession> threadSession = ThreadLocal.withInitial(ConsistencySession::new);
    private final ThreadLocal<ConsistencySession> bound = new ThreadLocal<>();
    private volatile PrintWriter logWriter;
    private InvalidationBus bus;

    private RunwayDataSource(RegionConfig config) {
        this.tokens = config.hasTokenSecret() ? new TokenCodec(config.tokenSecret()) : null;
        this.router = new Router(config, new SessionAccess() {
            @Override
            public Lsn required() {
                return session().required();
            }

            @Override
            public void wrote(Lsn lsn) {
                session().wrote(lsn);
            }

            @Override
            public void wroteAtUnknownPosition() {
                session().positionUnknown(true);
            }

            @Override
            public boolean positionUnknown() {
                return session().positionUnknown();
            }

            @Override
            public void resolved(Lsn lsn) {
                ConsistencySession s = session();
                s.require(lsn);
                s.positionUnknown(false);
            }
        });
    }

    /** Starts the pools (lazily connecting: a database that is down does not fail this call). */
    public static RunwayDataSource create(RegionConfig config) {
        return new RunwayDataSource(config);
    }

    /** {@code create(RegionConfig.fromEnvironment(System::getenv).build())}. */
    public static RunwayDataSource fromEnvironment() {
        return create(RegionConfig.fromEnvironment(System::getenv).build());
    }

    public RegionConfig config() {
        return router.config();
    }

    /** A connection that binds at its first statement: to the replica if read-only, else the primary. */
    @Override
    public Connection getConnection() {
        return new RoutingConnection(router, false, true).proxy();
    }

    /** Not supported: credentials come from the configured URLs. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("runway: credentials come from DATABASE_URL; use getConnection()");
    }

    // ---- facade ----

    /** Runs {@code work} on a read-only connection (replica when possible), after waiting for the session's writes. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        try (Connection c = new RoutingConnection(router, true, true).proxy()) {
            return work.run(c);
        }
    }

    /**
     * Runs {@code work} in one transaction on the primary, commits, and (unless
     * {@link WriteOption#NO_WAIT}) waits until a read from this instance would see it. A wait that
     * times out is reported in {@link WriteResult#visibleLocally()}, never thrown.
     *
     * @throws SQLException only when the work or the commit failed (nothing was written)
     */
    public <T> WriteResult<T> write(SqlWork<T> work, WriteOption... options) throws SQLException {
        boolean noWait = false;
        List<String> invalidates = new ArrayList<>();
        for (WriteOption o : options) {
            if (o == WriteOption.NO_WAIT) {
                noWait = true;
            } else {
                invalidates.addAll(((WriteOption.Invalidates) o).keys());
            }
        }
        RoutingConnection rc = new RoutingConnection(router, false, !noWait);
        T value;
        Lsn lsn;
        try (Connection c = rc.proxy()) {
            c.setAutoCommit(false);
            try {
                value = work.run(c);
                if (!invalidates.isEmpty()) {
                    InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, invalidates);
                }
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
            lsn = rc.lastLsn();
        }
        if (noWait || lsn == null) {
            return new WriteResult<>(value, lsn, !noWait);
        }
        return new WriteResult<>(value, lsn, router.awaitVisible(lsn));
    }

    // ---- invalidation ----

    /**
     * This data source's invalidation bus on {@link InvalidationBus#DEFAULT_CHANNEL}, started on first
     * use (one listening connection to the primary), closed with the data source. Caches and feature
     * flags subscribe to it; {@link WriteOption#invalidates} publishes on its channel.
     */
    public InvalidationBus invalidations() {
        synchronized (this) {
            if (bus == null) {
                bus = InvalidationBus.start(this, InvalidationBus.DEFAULT_CHANNEL);
            }
            return bus;
        }
    }

    // ---- consistency sessions and tokens ----

    /** The session of the calling thread: the one bound by {@link #bind}, else the thread's own. */
    public ConsistencySession session() {
        ConsistencySession s = bound.get();
        return s != null ? s : threadSession.get();
    }

    /** A binding of a session to a thread; closing it restores the previous one. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Makes {@code s} the calling thread's session until the returned scope is closed. */
    public Scope bind(ConsistencySession s) {
        ConsistencySession prev = bound.get();
        bound.set(s);
        return () -> {
            if (prev == null) {
                bound.remove();
            } else {
                bound.set(prev);
            }
        };
    }

    /**
     * A signed token for the current session's position, to send to the client (cookie or header)
     * so that its next request, on any instance in any region, sees the writes. Empty when the
     * session wrote nothing, tokens are disabled, or the primary's identity cannot be read.
     */
    public Optional<String> issueToken() {
        Lsn lsn = session().required();
        if (tokens == null || lsn == null) {
            return Optional.empty();
        }
        ServerIdentity id = router.identity();
        return id == null ? Optional.empty() : Optional.of(tokens.encode(id, lsn));
    }

    /**
     * Verifies {@code token} and, when valid and from this database's current primary, makes the
     * current session require its position. Never throws: anything else is ignored and reported.
     */
    public TokenCheck acceptToken(String token) {
        if (token == null || token.isBlank()) {
            return TokenCheck.ABSENT;
        }
        TokenCheck c = check(token);
        (c == TokenCheck.ACCEPTED ? router.counters().tokensAccepted : router.counters().tokensIgnored).increment();
        return c;
    }

    private TokenCheck check(String token) {
        if (tokens == null) {
            return TokenCheck.UNVERIFIABLE;
        }
        TokenCodec.Decoded d = tokens.decode(token);
        if (d.refusal() != null) {
            return d.refusal() == TokenCodec.Refusal.MALFORMED ? TokenCheck.MALFORMED : TokenCheck.BAD_SIGNATURE;
        }
        ServerIdentity id = router.identityFor(d.token().identity());
        if (id == null) {
            return TokenCheck.UNVERIFIABLE;
        }
        if (!id.equals(d.token().identity())) {
            return TokenCheck.OTHER_SERVER;
        }
        session().require(d.token().lsn());
        return TokenCheck.ACCEPTED;
    }

    // ---- operations ----

    /** A snapshot of the counters. */
    public DataSourceMetrics metrics() {
        var c = router.counters();
        ReplicaHealth h = router.health();
        return new DataSourceMetrics(c.readsReplica.sum(), c.readsPrimary.sum(), c.writes.sum(), c.waits.sum(), c.waitTimeouts.sum(),
                c.fallbacks.sum(), router.tracker() == null ? 0 : router.tracker().polls(), c.lagChecks.sum(), c.lagChecksLagging.sum(),
                c.tokensAccepted.sum(), c.tokensIgnored.sum(), h == null ? "NONE" : h.state().name());
    }

    /**
     * Checks the replica now: {@link ReplicaCheck#UP}, {@link ReplicaCheck#DOWN}, {@link ReplicaCheck#NOT_A_REPLICA},
     * or {@link ReplicaCheck#NONE} when none is configured. A replica URL that points at a primary is safely ignored
     * at run time (reads go to the configured primary); call this at start-up to fail fast instead.
     */
    public ReplicaCheck checkReplica() {
        return router.checkReplica();
    }

    /**
     * The connection pool towards the primary ({@code runway-primary}), for monitoring: metrics
     * (e.g. HikariCP's Micrometer tracker) and health checks. Do not close it or change its settings,
     * and do not use its connections for application work: they bypass routing and read-your-writes.
     */
    public HikariDataSource primaryPool() {
        return router.primaryPool();
    }

    /** The pool towards the local replica ({@code runway-replica}), when there is one; as {@link #primaryPool()}. */
    public Optional<HikariDataSource> replicaPool() {
        return Optional.ofNullable(router.replicaPool());
    }

    /** The helper for Fly's replay header, for this instance's regions. */
    public FlyReplay flyReplay() {
        return FlyReplay.of(config());
    }

    /** For the invalidation bus and tests: the router. Not part of the stable API. */
    Router router() {
        return router;
    }

    /** Stops the invalidation bus, the poller and the lag check, and closes both pools. */
    @Override
    public void close() {
        InvalidationBus b;
        synchronized (this) {
            b = bus;
        }
        if (b != null) {
            b.close();
        }
        router.close();
    }

    // ---- DataSource boilerplate ----

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // Timeouts come from RegionConfig (primaryConnectTimeout).
    }

    @Override
    public int getLoginTimeout() {
        return (int) config().primaryConnectTimeout().toSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("runway logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("runway: not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
