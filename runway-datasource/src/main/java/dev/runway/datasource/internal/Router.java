package dev.runway.datasource.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.Lsn;
import dev.runway.core.pg.TlsFailure;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.ReplicaCheck;
import dev.runway.datasource.ReplicaLagException;
import dev.runway.datasource.TimeoutPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where a connection goes and owns everything that decision needs: the two HikariCP pools,
 * the replay tracker, the replica's health and the lag monitor. Thread-safe.
 */
public final class Router implements AutoCloseable {
    /** Where a connection was bound. */
    public enum Target { PRIMARY, REPLICA }

    /** A physical connection and where it goes. */
    public record Bound(Connection connection, Target target) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private final RegionConfig config;
    private final HikariDataSource primary;
    private final HikariDataSource replica;
    private final ReplayTracker tracker;
    private final ReplicaHealth health;
    private final LagMonitor lagMonitor;
    private final Counters counters = new Counters();
    private final SessionAccess sessions;
    private final PrimaryWatch watch;
    private final PoolingCheck primaryPooling;
    private final PoolingCheck replicaPooling;
    /** A read that has waited this long checks once that its position exists on the current primary. */
    private static final long FEASIBILITY_CHECK_NANOS = 250_000_000L;
    private static final long IDENTITY_TTL_NANOS = 60_000_000_000L;
    private static final long IDENTITY_RETRY_NANOS = 10_000_000_000L;
    private volatile ServerIdentity identity;
    private volatile long identityReadAt;
    private volatile long identityFailedAt;

    public Router(RegionConfig config, SessionAccess sessions) {
        this.config = config;
        this.sessions = sessions;
        this.primary = pool("runway-primary", config.primaryUrl(), config.primaryPoolSize(), config.primaryConnectTimeout().toMillis());
        this.watch = new PrimaryWatch(this::primaryPosition, this::primaryChanged);
        this.primaryPooling = new PoolingCheck("primary", config.primaryUrl());
        this.replicaPooling = config.hasReplica() ? new PoolingCheck("replica", config.replicaUrl()) : null;
        if (config.hasReplica()) {
            String replicaName = config.replicaUrl().host() + ":" + config.replicaUrl().port();
            // 250 ms is HikariCP's minimum: a dead replica costs the first reader at most that, then
            // the replica is marked down and reads go straight to the primary.
            this.replica = pool("runway-replica", config.replicaUrl(), config.replicaPoolSize(), 250);
            this.health = new ReplicaHealth(replicaName, config.replicaRetry().toMillis());
            this.tracker = new ReplayTracker(replicaName, this::openPollerConnection,
                    new ReplayTracker.Listener() {
                        @Override
                        public void down(SQLException cause) {
                            health.markDown(cause);
                        }

                        @Override
                        public void notAReplica() {
                            health.markNotReplica();
                        }
                    }, config.minPollInterval().toNanos(), config.maxPollInterval().toNanos());
            health.wire(this::probeReplica, () -> replica.getHikariPoolMXBean().softEvictConnections(), tracker);
            health.confirmRecoveryWith(this::observedPrimaryPosition, config.maxLag().toNanos());
            this.lagMonitor = config.lagCheckInterval().isZero() ? null
                    : new LagMonitor(replicaName, config.lagCheckInterval().toNanos(), config.maxLag().toNanos(), this::observedPrimaryPosition,
                            tracker, health, counters);
        } else {
            this.replica = null;
            this.health = null;
            this.tracker = null;
            this.lagMonitor = null;
        }
    }

    private static HikariDataSource pool(String name, DatabaseUrl url, int size, long connectTimeoutMs) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(url.jdbcUrl());
        Properties props = url.properties();
        props.setProperty("ApplicationName", props.getProperty("ApplicationName", "runway-datasource"));
        hc.setDataSourceProperties(props);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(Math.min(2, size));
        hc.setConnectionTimeout(Math.max(250, connectTimeoutMs));
        // Start even when the server is down: the replica may come later, and an unreachable primary
        // must not stop reads from the replica.
        hc.setInitializationFailTimeout(-1);
        return new HikariDataSource(hc);
    }

    public RegionConfig config() {
        return config;
    }

    public Counters counters() {
        return counters;
    }

    public ReplayTracker tracker() {
        return tracker;
    }

    public ReplicaHealth health() {
        return health;
    }

    /** The pool towards the primary. */
    public HikariDataSource primaryPool() {
        return primary;
    }

    /** The pool towards the local replica, or null when there is none. */
    public HikariDataSource replicaPool() {
        return replica;
    }

    /** Whether commits should capture their WAL position (someone can use it). */
    public boolean capturesWrites() {
        return config.hasReplica() || config.hasTokenSecret();
    }

    /** A connection to the primary, or a clear error naming the primary and the timeout (or what is wrong with TLS). */
    public Connection openPrimary() throws SQLException {
        Connection c;
        try {
            c = primary.getConnection();
        } catch (SQLException e) {
            String tls = e.getCause() instanceof SQLException ? TlsFailure.explain((SQLException) e.getCause(), config.primaryUrl()) : null;
            if (tls != null) {
                throw new SQLNonTransientConnectionException("runway: cannot connect to the primary " + config.primaryUrl()
                        + " over TLS: " + tls, "08006", e);
            }
            if (e.getCause() != null) {
                watch.trouble(e); // a connect failure, not a pool that is merely busy
            }
            throw new SQLTransientConnectionException("runway: the primary " + config.primaryUrl() + " is unreachable (no connection within "
                    + config.primaryConnectTimeout().toMillis() + " ms, primaryConnectTimeout): " + e.getMessage()
                    + ". Writes fail until it is back; reads keep using the replica.", "08001", e);
        }
        return checked(c, primaryPooling);
    }

    private static Connection checked(Connection c, PoolingCheck check) throws SQLException {
        try {
            check.check(c);
            return c;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A statement on a primary connection failed as if the primary is gone (connection error) or no
     * longer writable (25006, a demoted primary): the pool's other connections to it are retired at once
     * instead of failing one request each, the identity is read again, and positions are checked
     * against the primary before a read waits for them (see {@link PrimaryWatch}).
     */
    public void primaryFailed(SQLException e) {
        watch.trouble(e);
    }

    private void primaryChanged() {
        primary.getHikariPoolMXBean().softEvictConnections();
        identityReadAt = 0;
    }

    /** Binds a read-only connection: the local replica once it shows the session's writes, else the primary. */
    public Bound openRead() throws SQLException {
        if (replica == null) {
            counters.readsPrimary.increment();
            return new Bound(openPrimary(), Target.PRIMARY);
        }
        if (lagMonitor != null) {
            lagMonitor.sawRead();
        }
        if (!health.usable()) {
            return fallback();
        }
        if (config.readYourWrites() && sessions.positionUnknown()) {
            try {
                sessions.resolved(primaryPosition().lsn());
            } catch (SQLException e) {
                return fallback(); // the primary has every write that survived; a replica might not
            }
        }
        Lsn need = config.readYourWrites() ? sessions.required() : null;
        if (need != null && !tracker.lastReplayed().reached(need)) {
            need = watch.feasible(need);
            if (!tracker.lastReplayed().reached(need) && !awaitReplay(need)) {
                return fallback();
            }
        }
        Connection c;
        try {
            c = replica.getConnection();
        } catch (SQLException e) {
            // HikariCP reports "no connection in time" with the last connect failure as the cause
            // when the server is unreachable, and without one when all connections are just busy.
            if (e.getCause() != null || !(e instanceof SQLTransientConnectionException)) {
                health.markDown(e);
            }
            return fallback();
        }
        checked(c, replicaPooling);
        counters.readsReplica.increment();
        return new Bound(c, Target.REPLICA);
    }

    /** The primary, for a read that cannot use the replica. */
    public Bound fallback() throws SQLException {
        counters.fallbacks.increment();
        counters.readsPrimary.increment();
        return new Bound(openPrimary(), Target.PRIMARY);
    }

    /** A read that bound to the replica failed before doing anything: count it on the primary instead. */
    public Connection retryReadOnPrimary(SQLException cause) throws SQLException {
        health.markDown(cause);
        counters.readsReplica.decrement();
        return fallback().connection();
    }

    /** Waits for the local replica to replay {@code need}; false when the read should use the primary. */
    private boolean awaitReplay(Lsn need) throws SQLException {
        counters.waits.increment();
        long timeout = config.waitTimeout().toNanos();
        long lagBound = Math.min(config.maxLag().toNanos(), timeout);
        long check = Math.min(FEASIBILITY_CHECK_NANOS, lagBound);
        ReplayTracker.Waiter w = tracker.register(need);
        try {
            ReplayTracker.Outcome o;
            try {
                o = ReplayTracker.future(w).get(check, TimeUnit.NANOSECONDS);
            } catch (TimeoutException slow) {
                // This long a wait: can the position come at all? One of an earlier timeline never does.
                Lsn capped = watch.recheck(need);
                if (!capped.equals(need)) {
                    tracker.cancel(w);
                    need = capped;
                    w = tracker.register(need);
                }
                try {
                    o = ReplayTracker.future(w).get(lagBound - check, TimeUnit.NANOSECONDS);
                } catch (TimeoutException first) {
                    health.markLagging(need);
                    o = ReplayTracker.future(w).get(timeout - lagBound, TimeUnit.NANOSECONDS);
                }
            }
            return o == ReplayTracker.Outcome.REACHED;
        } catch (TimeoutException e) {
            tracker.cancel(w);
            counters.waitTimeouts.increment();
            health.markLagging(need);
            if (config.timeoutPolicy() == TimeoutPolicy.THROW) {
                throw new ReplicaLagException("runway: the local replica " + config.replicaUrl().host() + ":" + config.replicaUrl().port()
                        + " has replayed up to " + tracker.lastReplayed() + " but this session needs " + need + "; waited "
                        + config.waitTimeout().toMillis() + " ms (RUNWAY_WAIT_TIMEOUT). The write is committed; retry, "
                        + "or use timeout policy read-primary");
            }
            return false;
        } catch (InterruptedException e) {
            tracker.cancel(w);
            Thread.currentThread().interrupt();
            throw new SQLException("runway: interrupted while waiting for the replica to replay " + need, "57014", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (bounded by {@code waitTimeout}) until a read from this instance would see {@code lsn};
     * never throws for lag: returns false instead.
     */
    public boolean awaitVisible(Lsn lsn) {
        if (replica == null || !config.readYourWrites()) {
            return true;
        }
        if (!health.usable()) {
            return true; // reads go to the primary, which has it
        }
        if (tracker.lastReplayed().reached(lsn)) {
            return true;
        }
        counters.waits.increment();
        ReplayTracker.Waiter w = tracker.register(lsn);
        try {
            ReplayTracker.Outcome o = ReplayTracker.future(w).get(config.waitTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return o == ReplayTracker.Outcome.REACHED || !health.usable();
        } catch (TimeoutException e) {
            tracker.cancel(w);
            counters.waitTimeouts.increment();
            health.markLagging(lsn);
            return false;
        } catch (InterruptedException e) {
            tracker.cancel(w);
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records a committed write's position in the current session. */
    public void wrote(WalPosition.Position pos, boolean intoSession) {
        counters.writes.increment();
        watch.read(pos);
        if (intoSession) {
            sessions.wrote(pos.lsn());
        }
    }

    /**
     * A write committed (or may have) but its position could not be read (the primary died right
     * after): the session's next read first reads the primary's position, which covers the write if
     * it survived, and reads from the primary when that cannot be done.
     */
    public void wroteAtUnknownPosition(boolean intoSession) {
        counters.writes.increment();
        if (intoSession) {
            sessions.wroteAtUnknownPosition();
        }
    }

    /**
     * The primary's identity: read with one round trip, then cached for a minute or until a position of
     * a later timeline shows a failover (see {@link PrimaryWatch}); null while the primary is unreachable, and then not asked again for 10 s, so
     * requests carrying tokens do not each wait for a dead primary.
     */
    public ServerIdentity identity() {
        long now = System.nanoTime();
        ServerIdentity id = identity;
        if (id != null && now - identityReadAt < IDENTITY_TTL_NANOS && id.timeline() >= watch.timeline()) {
            return id;
        }
        if (now - identityFailedAt < IDENTITY_RETRY_NANOS && identityFailedAt != 0) {
            return id;
        }
        synchronized (this) {
            if (identity != id) {
                return identity; // another thread refreshed it
            }
            try (Connection c = openPrimary()) {
                id = ServerIdentity.of(c);
                identity = id;
                identityReadAt = System.nanoTime();
                identityFailedAt = 0;
            } catch (SQLException e) {
                identityFailedAt = System.nanoTime();
                LOG.warn("cannot read the primary's identity ({}); {}", e.getMessage(),
                        id == null ? "consistency tokens are ignored until it can" : "keeping the last one");
            }
        }
        return id;
    }

    /**
     * The primary's identity to check a token against: read again first when the token names the same
     * cluster on a later timeline than the cached identity (proof of a failover this instance has not
     * seen yet).
     */
    public ServerIdentity identityFor(ServerIdentity claimed) {
        ServerIdentity id = identity();
        if (id != null && claimed.systemId() == id.systemId() && claimed.timeline() > id.timeline()) {
            identityReadAt = 0;
            identityFailedAt = 0;
            id = identity();
        }
        return id;
    }

    /** For the lag monitor: the primary's WAL position now, on a pooled connection. */
    private WalPosition.Position primaryPosition() throws SQLException {
        try (Connection c = openPrimary()) {
            return WalPosition.current(c);
        }
    }

    /** The primary's position for the lag check and the recovery check, noted by the watch (which sees failovers in it). */
    private Lsn observedPrimaryPosition() throws SQLException {
        WalPosition.Position now = primaryPosition();
        watch.read(now);
        return now.lsn();
    }

    private Connection openPollerConnection() throws SQLException {
        DatabaseUrl url = config.replicaUrl();
        Properties p = url.properties();
        p.setProperty("ApplicationName", "runway-replay-poller");
        p.setProperty("connectTimeout", "2");
        // A poll is a tiny query on the local replica; anything slower than this means it is sick.
        p.setProperty("socketTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private ReplicaHealth.State probeReplica() {
        try (Connection c = replica.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1) ? ReplicaHealth.State.UP : ReplicaHealth.State.NOT_A_REPLICA;
        } catch (SQLException e) {
            return ReplicaHealth.State.DOWN;
        }
    }

    /**
     * Probes the replica now and returns what it found (never throws); DOWN and NOT_A_REPLICA also tell the
     * replica's health, so reads leave it at once. NONE when no replica is configured.
     */
    public ReplicaCheck checkReplica() {
        if (replica == null) {
            return ReplicaCheck.NONE;
        }
        ReplicaHealth.State s = probeReplica();
        if (s == ReplicaHealth.State.NOT_A_REPLICA) {
            health.markNotReplica();
            return ReplicaCheck.NOT_A_REPLICA;
        } else if (s == ReplicaHealth.State.DOWN) {
            health.markDown(null);
            return ReplicaCheck.DOWN;
        }
        return ReplicaCheck.UP;
    }

    @Override
    public void close() {
        if (lagMonitor != null) {
            lagMonitor.close();
        }
        if (tracker != null) {
            tracker.close();
            health.close();
            replica.close();
        }
        primary.close();
    }
}
