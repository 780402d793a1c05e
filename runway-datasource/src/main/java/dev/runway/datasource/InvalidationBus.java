package dev.runway.datasource;

import dev.runway.core.Lsn;
import dev.runway.core.notify.Notice;
import dev.runway.core.notify.NotifySql;
import dev.runway.datasource.internal.PendingNotices;
import dev.runway.datasource.internal.ReplayTracker;
import dev.runway.datasource.internal.Router;
import dev.runway.datasource.internal.RoutingConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache invalidation across instances and regions over PostgreSQL {@code LISTEN/NOTIFY} on the
 * primary (it does not work on replicas). Each instance listens on one connection to the primary and
 * drops a key only once <em>its own</em> replica has replayed the write that invalidated it, so a
 * cache refilled from the replica right after can never see the old row. Thread-safe; one per data
 * source ({@link RunwayDataSource#invalidations()}), any number of {@link Subscription}s on it.
 *
 * <p>Sending: best inside the writing transaction ({@code ds.write(work, WriteOption.invalidates(key))}
 * or {@link #invalidateOnCommit} for plain JDBC): PostgreSQL delivers the notice when that
 * transaction commits and never when it rolls back, so an instance that dies right after its
 * COMMIT still invalidates everyone. {@link #publish(String)} after the commit also works, but is
 * lost if the process dies in between.
 *
 * <p>Delivery is at most once per notice per connected instance. When the listening connection is
 * (re)established, notices may have been missed: every subscription's invalidate-all runs once the
 * local replica has replayed the primary's position read right after {@code LISTEN} (also at the
 * first connection, which is when a subscription becomes {@link Subscription#ready()}).
 * Keys are at most {@value NotifySql#MAX_KEY_BYTES} UTF-8 bytes (NOTIFY's payload limit).
 */
public final class InvalidationBus implements AutoCloseable {
    /** The channel of {@link RunwayDataSource#invalidations()} and of {@link WriteOption#invalidates}. */
    public static final String DEFAULT_CHANNEL = "runway_cache";
    /**
     * How long an OnCommit notice waits for the Position notice its writer sends in the COMMIT's own
     * round trip (they arrive together) before the primary is asked instead: the writer died after
     * COMMIT, or it is plain JDBC that sends none.
     */
    static final long POSITION_GRACE_NANOS = 20_000_000L;
    private static final long POLL_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);

    private final Router router;
    private final String channel;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> keyListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> allListeners = new CopyOnWriteArrayList<>();
    private final PendingNotices pending = new PendingNotices(POSITION_GRACE_NANOS);
    private final AtomicBoolean asking = new AtomicBoolean();
    private final ExecutorService fire;
    private final ExecutorService ask;
    private final Thread listener;
    private final LongAdder notices = new LongAdder();
    private final LongAdder paired = new LongAdder();
    private final LongAdder askedPrimary = new LongAdder();
    private final LongAdder keysFired = new LongAdder();
    private final LongAdder allsFired = new LongAdder();
    private volatile boolean closed;
    private volatile Connection listening;
    private long generation;

    private InvalidationBus(RunwayDataSource ds, String channel) {
        this.router = ds.router();
        this.channel = NotifySql.channel(channel);
        this.fire = Executors.newSingleThreadExecutor(r -> daemon(r, "runway-invalidation-fire-" + channel));
        this.ask = Executors.newSingleThreadExecutor(r -> daemon(r, "runway-invalidation-ask-" + channel));
        this.listener = daemon(this::listen, "runway-invalidation-" + channel);
        subscriptions.add(new Subscription(this, channel, key -> keyListeners.forEach(l -> l.accept(key)),
                () -> allListeners.forEach(Runnable::run)));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts a bus of its own (its own listening connection) on {@code channel}, a lower-case
     * identifier. Most applications use the data source's bus, {@link RunwayDataSource#invalidations()}.
     */
    public static InvalidationBus start(RunwayDataSource ds, String channel) {
        InvalidationBus bus = new InvalidationBus(ds, channel);
        bus.listener.start();
        return bus;
    }

    /** This bus's main channel: {@link #publish}, {@link #onInvalidate} and {@link #onInvalidateAll} use it. */
    public String channel() {
        return channel;
    }

    /** Called with each invalidated key of the main channel, on the bus's thread, once the local replica shows the change. */
    public InvalidationBus onInvalidate(Consumer<String> l) {
        keyListeners.add(l);
        return this;
    }

    /** Called when every key must go: once the bus is listening, and after each reconnect (see the class comment). */
    public InvalidationBus onInvalidateAll(Runnable l) {
        allListeners.add(l);
        return this;
    }

    /**
     * Subscribes to {@code channel} (the main one or another, e.g. the feature flags table's). The
     * bus starts listening on it within {@value #POLL_MILLIS} ms; {@code onAll} runs when it is ready
     * (the class comment) and after each reconnect. Both callbacks run on the bus's one callback
     * thread, in order; keep them short.
     */
    public Subscription subscribe(String channel, Consumer<String> onKey, Runnable onAll) {
        Subscription s = new Subscription(this, NotifySql.channel(channel), onKey, onAll);
        subscriptions.add(s);
        return s;
    }

    /**
     * Publishes an invalidation of {@code key} after the write that changed it has committed, on a
     * pooled primary connection (the notice carries the primary's flush position, which covers the
     * write). Lost if the process dies between that commit and this call: prefer
     * {@link WriteOption#invalidates} or {@link #invalidateOnCommit}.
     */
    public void publish(String key) throws SQLException {
        NotifySql.checkKey(key);
        try (Connection c = router.openPrimary()) {
            c.setAutoCommit(true);
            NotifySql.sendPublished(c, channel, key);
        }
    }

    /**
     * For plain JDBC: invalidates {@code keys} on {@code channel} when {@code c}'s current transaction
     * commits (nothing is sent if it rolls back). On a connection of a {@link RunwayDataSource} the
     * commit also carries the position of the commit (no extra round trip), so receivers drop the keys
     * as soon as their replica has replayed it; on other connections receivers ask the primary for
     * its position after {@value #POSITION_GRACE_NANOS} ns. In autocommit mode the write is already
     * committed and the keys are published at once.
     *
     * @throws dev.runway.core.RunwayException (USAGE) for a bad channel or a key over
     *     {@value NotifySql#MAX_KEY_BYTES} bytes, before anything is sent
     */
    public static void invalidateOnCommit(Connection c, String channel, Collection<String> keys) throws SQLException {
        NotifySql.channel(channel);
        keys.forEach(NotifySql::checkKey);
        if (keys.isEmpty()) {
            return;
        }
        if (c.getAutoCommit()) {
            for (String k : keys) {
                NotifySql.sendPublished(c, channel, k);
            }
            return;
        }
        RoutingConnection rc = c.isWrapperFor(RoutingConnection.class) ? c.unwrap(RoutingConnection.class) : null;
        String token = rc != null ? rc.noticeToken() : NotifySql.token();
        String xid = NotifySql.sendOnCommit(c, channel, token, keys);
        if (rc != null) {
            rc.announce(channel, xid);
        }
    }

    /** {@link #invalidateOnCommit(Connection, String, Collection)} for a few keys. */
    public static void invalidateOnCommit(Connection c, String channel, String... keys) throws SQLException {
        invalidateOnCommit(c, channel, Arrays.asList(keys));
    }

    /** True while the listening connection to the primary is up. */
    public boolean connected() {
        return listening != null;
    }

    /** Counters since start. */
    public Stats stats() {
        return new Stats(notices.sum(), paired.sum(), askedPrimary.sum(), keysFired.sum(), allsFired.sum(), pending.size());
    }

    /**
     * @param notices Runway notices received
     * @param pairedByPosition OnCommit notices resolved by their writer's Position notice
     * @param askedPrimary times the primary was asked for its position (OnCommit notices without a Position)
     * @param keysInvalidated keys handed to subscribers
     * @param invalidateAlls invalidate-all callbacks run
     * @param waitingForPosition OnCommit notices waiting for a position right now
     */
    public record Stats(long notices, long pairedByPosition, long askedPrimary, long keysInvalidated, long invalidateAlls,
            int waitingForPosition) {
    }

    // ---- receiving ----

    private void listen() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = openListener()) {
                long gen = ++generation;
                pending.clear(); // what the old connection left is covered by the invalidate-all below
                listening = c;
                backoff = 100;
                Set<String> listened = new HashSet<>();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    listenNew(c, gen, listened);
                    PGNotification[] ns = pg.getNotifications(pollMillis());
                    long now = System.nanoTime();
                    if (ns != null) {
                        for (PGNotification n : ns) {
                            received(n.getName(), n.getParameter(), now);
                        }
                    }
                    askIfDue(now);
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

    /** LISTENs on the channels of subscriptions not yet served by this connection; they get an invalidate-all when ready. */
    private void listenNew(Connection c, long gen, Set<String> listened) throws SQLException {
        List<Subscription> fresh = null;
        for (Subscription s : subscriptions) {
            if (s.listenedIn != gen) {
                if (listened.add(s.channel)) {
                    try (Statement st = c.createStatement()) {
                        st.execute("LISTEN " + s.channel);
                    }
                }
                s.listenedIn = gen;
                if (fresh == null) {
                    fresh = new ArrayList<>();
                }
                fresh.add(s);
            }
        }
        if (fresh != null) {
            // Every commit whose notice this connection cannot have received committed before LISTEN
            // did, so the primary's flush position now covers it (synchronous commit: see NotifySql).
            List<Subscription> ready = fresh;
            afterReplay(flushPosition(c), () -> {
                for (Subscription s : ready) {
                    s.invalidateAll();
                }
            });
        }
    }

    private int pollMillis() {
        long due = pending.nanosUntilDue(System.nanoTime());
        return (int) (due < 0 ? POLL_MILLIS : Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(due) + 1)));
    }

    private void received(String ch, String payload, long now) {
        Notice n = Notice.parse(payload);
        if (n == null) {
            LOG.debug("ignoring a notice on {} that is not Runway's", ch);
            return;
        }
        notices.increment();
        if (n instanceof Notice.OnCommit) {
            Notice.OnCommit oc = (Notice.OnCommit) n;
            if (!replicaInUse()) {
                fireKeys(ch, List.of(oc.key())); // reads go to the primary, which has the commit
            } else {
                pending.onCommit(ch, oc.token(), oc.key(), now);
            }
        } else if (n instanceof Notice.Position) {
            Notice.Position p = (Notice.Position) n;
            PendingNotices.Keys keys = pending.position(ch, p.token());
            if (keys != null) {
                paired.increment();
                afterReplay(p.lsn(), () -> fireKeys(ch, keys.keys()));
            }
        } else {
            Notice.Published p = (Notice.Published) n;
            afterReplay(p.lsn(), () -> fireKeys(ch, List.of(p.key())));
        }
    }

    /**
     * OnCommit notices whose Position did not come within the grace period: ask the primary (one
     * question at a time). Its flush position, read after these notices were delivered, covers their
     * commits: PostgreSQL delivers a notice only once its transaction has committed, and the commit
     * was flushed first (NotifySql raises asynchronous commits to local).
     */
    private void askIfDue(long now) {
        if (asking.get()) {
            return;
        }
        List<String> ids = pending.dueForAsking(now);
        if (ids.isEmpty()) {
            return;
        }
        asking.set(true);
        try {
            ask.execute(() -> {
                try {
                    Lsn at;
                    try (Connection c = router.openPrimary()) {
                        at = flushPosition(c);
                    }
                    askedPrimary.increment();
                    for (PendingNotices.Keys k : pending.answered(ids)) {
                        afterReplay(at, () -> fireKeys(k.channel(), k.keys()));
                    }
                } catch (SQLException | RuntimeException e) {
                    pending.askFailed(ids);
                    LOG.debug("cannot ask the primary for its position ({}); will retry", e.toString());
                } finally {
                    asking.set(false);
                }
            });
        } catch (RejectedExecutionException closing) {
            asking.set(false);
        }
    }

    private boolean replicaInUse() {
        return router.tracker() != null && router.health().usable();
    }

    /**
     * Runs {@code action} on the callback thread once the local replica has replayed {@code lsn}; at
     * once when reads go to the primary. A replica that does not replay it within the lag bound is
     * marked lagging first (reads then go to the primary until it has), so a refill cannot be stale.
     */
    private void afterReplay(Lsn lsn, Runnable action) {
        ReplayTracker tracker = router.tracker();
        if (tracker == null || !router.health().usable()) {
            submit(action);
            return;
        }
        long bound = Math.min(router.config().maxLag().toNanos(), router.config().waitTimeout().toNanos());
        ReplayTracker.Waiter w = tracker.register(lsn);
        ReplayTracker.future(w).completeOnTimeout(ReplayTracker.Outcome.CLOSED, bound, TimeUnit.NANOSECONDS).thenAccept(o -> {
            if (o == ReplayTracker.Outcome.CLOSED && !closed) {
                tracker.cancel(w); // timed out: stop the poller waiting for it
                router.health().markLagging(lsn);
            }
            submit(action);
        });
    }

    private void submit(Runnable action) {
        try {
            fire.execute(action);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    private void fireKeys(String ch, List<String> keys) {
        for (Subscription s : subscriptions) {
            if (s.channel.equals(ch)) {
                for (String k : keys) {
                    keysFired.increment();
                    try {
                        s.onKey.accept(k);
                    } catch (RuntimeException e) {
                        LOG.warn("invalidation listener failed for a key on {}", ch, e);
                    }
                }
            }
        }
    }

    private static Lsn flushPosition(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening; no callback runs after this returns. */
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
        ask.shutdownNow();
        fire.shutdownNow();
        try {
            fire.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One listener of a channel; see {@link InvalidationBus#subscribe}. Thread-safe. Closing it stops
     * the callbacks (the bus keeps listening on the channel).
     */
    public static final class Subscription implements AutoCloseable {
        private final InvalidationBus bus;
        private final String channel;
        private final Consumer<String> onKey;
        private final Runnable onAll;
        private volatile boolean ready;
        /** The listening connection's generation that LISTENs for this one (listener thread only). */
        private volatile long listenedIn = -1;

        private Subscription(InvalidationBus bus, String channel, Consumer<String> onKey, Runnable onAll) {
            this.bus = bus;
            this.channel = channel;
            this.onKey = onKey;
            this.onAll = onAll;
        }

        public String channel() {
            return channel;
        }

        /**
         * True once the bus has listened on the channel and the first invalidate-all has run: from then
         * on, no commit's invalidation can be missed while the bus stays connected.
         */
        public boolean ready() {
            return ready;
        }

        private void invalidateAll() {
            ready = true;
            bus.allsFired.increment();
            try {
                onAll.run();
            } catch (RuntimeException e) {
                LOG.warn("invalidate-all listener failed on {}", channel, e);
            }
        }

        @Override
        public void close() {
            bus.subscriptions.remove(this);
        }
    }
}
