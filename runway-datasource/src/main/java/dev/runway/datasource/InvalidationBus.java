package dev.runway.datasource;

import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.datasource.internal.ReplayTracker;
import dev.runway.datasource.internal.Router;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache invalidation across instances and regions. {@link #publish(String)} sends
 * {@code NOTIFY} on the primary (LISTEN/NOTIFY does not work on replicas) with the primary's WAL
 * position; each instance's listener drops the key only once its own replica has replayed that
 * position, so a cache refilled from the replica right after can never see the old row.
 * When the listening connection is lost and re-established, messages may have been missed, so
 * {@link #onInvalidateAll(Runnable)} listeners run. Thread-safe; one per data source.
 *
 * <p>Delivery is at most once per message per connected instance, after the publisher's
 * transaction commits. Keys must be shorter than ~7,900 bytes (NOTIFY's payload limit).
 */
public final class InvalidationBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    private final Router router;
    private final String channel;
    private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> allListeners = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;
    private volatile Connection listening;

    private InvalidationBus(RunwayDataSource ds, String channel) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw RunwayException.usage("invalidation channel '" + channel + "' must be a lower-case SQL identifier");
        }
        this.router = ds.router();
        this.channel = channel;
        this.listener = new Thread(this::listen, "runway-invalidation-" + channel);
        this.listener.setDaemon(true);
    }

    /** Starts listening on {@code channel} (a lower-case identifier, e.g. {@code runway_cache}). */
    public static InvalidationBus start(RunwayDataSource ds, String channel) {
        InvalidationBus bus = new InvalidationBus(ds, channel);
        bus.listener.start();
        return bus;
    }

    /** Called with each invalidated key, on the bus's threads, once the local replica shows the change. */
    public InvalidationBus onInvalidate(Consumer<String> l) {
        keyListeners.add(l);
        return this;
    }

    /** Called when messages may have been missed (the listening connection was re-established). */
    public InvalidationBus onInvalidateAll(Runnable l) {
        allListeners.add(l);
        return this;
    }

    /**
     * Publishes an invalidation of {@code key}. Call it after the write that changed the key has
     * committed: the message carries the primary's flush position at publish time, which covers it.
     */
    public void publish(String key) throws SQLException {
        try (Connection c = router.openPrimary();
                PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, pg_current_wal_flush_lsn()::text || ' ' || ?)")) {
            c.setAutoCommit(true);
            ps.setString(1, channel);
            ps.setString(2, key);
            ps.execute();
        }
    }

    /** True while the listening connection to the primary is up. */
    public boolean connected() {
        return listening != null;
    }

    private void listen() {
        boolean first = true;
        long backoff = 100;
        while (!closed) {
            try (Connection c = openListener()) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + channel);
                }
                listening = c;
                if (!first) {
                    fireAll(); // anything sent while we were away is lost to us
                }
                first = false;
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            received(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                listening = null;
                if (closed) {
                    return;
                }
                LOG.warn("invalidation listener on {} lost the primary ({}); reconnecting in {} ms", channel, e.getMessage(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    private Connection openListener() throws SQLException {
        var url = router.config().primaryUrl();
        Properties p = url.properties();
        p.setProperty("ApplicationName", "runway-invalidation");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", String.valueOf(Math.max(1, router.config().primaryConnectTimeout().toSeconds())));
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    private void received(String payload) {
        int sp = payload.indexOf(' ');
        Lsn lsn;
        try {
            lsn = Lsn.parse(payload.substring(0, Math.max(sp, 0)));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring malformed invalidation on {}", channel);
            return;
        }
        String key = payload.substring(sp + 1);
        ReplayTracker tracker = router.tracker();
        if (tracker == null || !router.health().usable()) {
            fire(key); // reads go to the primary: it already shows the change
            return;
        }
        // Fire when replayed; also when the replica is down or lagging (reads then go to the primary)
        // or after the wait bound (better late than a cache entry that is never dropped).
        ReplayTracker.Waiter w = tracker.register(lsn);
        ReplayTracker.future(w).completeOnTimeout(ReplayTracker.Outcome.CLOSED, router.config().waitTimeout().toMillis(),
                TimeUnit.MILLISECONDS).thenRun(() -> {
                    tracker.cancel(w); // after a timeout: stop the poller waiting for a position nobody needs
                    fire(key);
                });
    }

    private void fire(String key) {
        for (Consumer<String> l : keyListeners) {
            try {
                l.accept(key);
            } catch (RuntimeException e) {
                LOG.warn("invalidation listener failed for a key on {}", channel, e);
            }
        }
    }

    private void fireAll() {
        for (Runnable l : allListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("invalidate-all listener failed on {}", channel, e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        closed = true;
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.trace("closing listener", e);
            }
        }
        listener.interrupt();
    }
}
