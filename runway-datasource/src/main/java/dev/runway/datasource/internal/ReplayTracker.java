package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiters when one replica has replayed a WAL position. One instance and one poller thread
 * per replica, whatever the number of waiters. Thread-safe.
 *
 * <p>Invariants: the poller runs only while a waiter is registered (it parks otherwise, so an idle
 * application sends the replica nothing); a waiter is registered before the cached replay
 * position is checked, so a poll that lands between the check and the registration cannot be
 * missed (the lost wake-up of fly_postgres 0.3); each poll is one short autocommit statement,
 * which holds no snapshot past its own execution and so cannot delay replay or be cancelled by a
 * recovery conflict.
 */
public final class ReplayTracker implements AutoCloseable {
    /** Why a wait ended. */
    public enum Outcome { REACHED, REPLICA_DOWN, NOT_A_REPLICA, CLOSED }

    /** Told about the replica's state as the poller sees it. */
    public interface Listener {
        void down(SQLException cause);

        void notAReplica();
    }

    /** Opens the poller's own connection to the replica. */
    public interface Connector {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplayTracker.class);
    private static final String POLL_SQL = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()";
    private static final CompletableFuture<Outcome> DONE = CompletableFuture.completedFuture(Outcome.REACHED);

    private final String name;
    private final Connector connector;
    private final Listener listener;
    private final PollSchedule schedule;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(Comparator.comparing(w -> w.target));
    private final LongAdder polls = new LongAdder();
    private volatile Lsn replayed = Lsn.ZERO;
    private long nextPoll;
    private long lastPoll;
    private boolean closed;
    private Thread poller;
    private Connection connection;
    private PreparedStatement statement;

    public ReplayTracker(String name, Connector connector, Listener listener, long minPollNanos, long maxPollNanos) {
        this.name = name;
        this.connector = connector;
        this.listener = listener;
        this.schedule = new PollSchedule(minPollNanos, maxPollNanos);
    }

    /** One registered wait. */
    public static final class Waiter {
        final Lsn target;
        final long registeredAt;
        final CompletableFuture<Outcome> future = new CompletableFuture<>();

        Waiter(Lsn target, long registeredAt) {
            this.target = target;
            this.registeredAt = registeredAt;
        }
    }

    /** The last replay position seen by a poll (a lower bound of the real one). */
    public Lsn lastReplayed() {
        return replayed;
    }

    /** Polls sent to the replica since start. */
    public long polls() {
        return polls.sum();
    }

    /** Waiters registered right now. */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Current estimate of a typical wait, for diagnostics. */
    public long expectedWaitNanos() {
        lock.lock();
        try {
            return schedule.expectedNanos();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Completes when the replica has replayed {@code target} (or cannot: down, promoted, closed).
     * Never times out by itself: the caller bounds the wait and then calls {@link #cancel}.
     */
    public CompletableFuture<Outcome> await(Lsn target) {
        if (replayed.reached(target)) {
            return DONE;
        }
        Waiter w = new Waiter(target, System.nanoTime());
        register(w);
        return w.future;
    }

    /** Like {@link #await} but returns the waiter, so that a timed-out caller can {@link #cancel} it. */
    public Waiter register(Lsn target) {
        Waiter w = new Waiter(target, System.nanoTime());
        if (replayed.reached(target)) {
            w.future.complete(Outcome.REACHED);
            return w;
        }
        register(w);
        return w;
    }

    public static CompletableFuture<Outcome> future(Waiter w) {
        return w.future;
    }

    private void register(Waiter w) {
        lock.lock();
        try {
            if (closed) {
                w.future.complete(Outcome.CLOSED);
                return;
            }
            boolean wasIdle = waiters.isEmpty();
            waiters.add(w);
            // Check again now that we are registered: a poll that completed between the caller's
            // first check and this point has updated `replayed`, and the poller will see us next.
            if (replayed.reached(w.target)) {
                waiters.remove(w);
                w.future.complete(Outcome.REACHED);
                return;
            }
            if (wasIdle) {
                // The cached position may be old (nobody waited): poll at once. This is what makes
                // a wait for an already-replayed position return immediately on an idle database.
                nextPoll = w.registeredAt;
                lastPoll = w.registeredAt;
                startPollerIfNeeded();
                wake.signal();
            } else {
                long want = lastPoll + schedule.delayFor(w.registeredAt, lastPoll);
                if (want - nextPoll < 0) {
                    nextPoll = want;
                    wake.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops a waiter that stopped waiting (timeout, interrupt). */
    public void cancel(Waiter w) {
        lock.lock();
        try {
            waiters.remove(w);
        } finally {
            lock.unlock();
        }
    }

    private void startPollerIfNeeded() {
        if (poller == null) {
            poller = new Thread(this::run, "runway-replay-poller-" + name);
            poller.setDaemon(true);
            poller.start();
        }
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                while (!closed && (waiters.isEmpty() || nextPoll - System.nanoTime() > 0)) {
                    if (waiters.isEmpty()) {
                        wake.await();
                    } else {
                        wake.awaitNanos(nextPoll - System.nanoTime());
                    }
                }
                if (closed) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            } finally {
                lock.unlock();
            }
            pollOnce();
        }
        closeConnection();
    }

    private void pollOnce() {
        boolean inRecovery;
        Lsn lsn;
        try {
            if (statement == null) {
                connection = connector.open();
                connection.setAutoCommit(true);
                statement = connection.prepareStatement(POLL_SQL);
            }
            polls.increment();
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                String text = rs.getString(2);
                lsn = text == null ? null : Lsn.parse(text);
            }
        } catch (SQLException e) {
            LOG.debug("replay poll on {} failed: {}", name, e.toString());
            closeConnection();
            finishAll(Outcome.REPLICA_DOWN);
            listener.down(e);
            return;
        }
        if (!inRecovery || lsn == null) {
            // Promoted, or pointed at a primary: its position is on another timeline or none at all.
            finishAll(Outcome.NOT_A_REPLICA);
            listener.notAReplica();
            return;
        }
        long now = System.nanoTime();
        List<Waiter> done = new ArrayList<>();
        lock.lock();
        try {
            if (lsn.compareTo(replayed) > 0) {
                replayed = lsn;
            }
            while (!waiters.isEmpty() && lsn.reached(waiters.peek().target)) {
                Waiter w = waiters.poll();
                schedule.observe(now - w.registeredAt);
                done.add(w);
            }
            lastPoll = now;
            long next = Long.MAX_VALUE;
            boolean any = false;
            for (Waiter w : waiters) {
                long want = now + schedule.delayFor(w.registeredAt, now);
                if (!any || want - next < 0) {
                    next = want;
                    any = true;
                }
            }
            nextPoll = next;
        } finally {
            lock.unlock();
        }
        // Complete outside the lock: completion may run caller code (the invalidation bus).
        for (Waiter w : done) {
            w.future.complete(Outcome.REACHED);
        }
    }

    private void finishAll(Outcome outcome) {
        List<Waiter> all;
        lock.lock();
        try {
            all = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        for (Waiter w : all) {
            w.future.complete(outcome);
        }
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        statement = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.trace("closing poller connection", e);
            }
        }
    }

    /** Stops the poller and completes every waiter with {@link Outcome#CLOSED}. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = poller;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        finishAll(Outcome.CLOSED);
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
