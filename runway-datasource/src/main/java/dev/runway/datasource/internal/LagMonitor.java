package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a replica that is behind while nobody waits for it (replay paused or stuck in a
 * conflict, or minutes behind), which a read-your-writes wait alone never sees: reads without a
 * position to wait for would keep getting stale data. Thread-safe.
 *
 * <p>At most once per {@code interval}, and only if a read has started since the last check, a
 * daemon thread reads the primary's current WAL position and has the replay tracker wait up to
 * {@code maxLag} for the replica to replay it. If it does not, the replica is marked LAGGING with
 * that position as the marker ({@link ReplicaHealth#markLagging}), and is UP again once the tracker
 * sees the marker replayed. This measures lag in time without comparing clocks (ProxySQL's
 * {@code max_replication_lag}, pgpool's {@code delay_threshold}).
 *
 * <p>Invariants: no read ever waits for a check ({@link #sawRead} is one volatile read on the hot
 * path, and a volatile write plus an unpark once per interval); with no reads there are no queries
 * at all, to the primary or the replica; a primary that cannot be reached skips the check (reads
 * keep using the replica); the check runs only while the replica is UP (DOWN and NOT_A_REPLICA are
 * probed, LAGGING is watched by the tracker).
 */
public final class LagMonitor implements AutoCloseable {
    /** Reads the primary's current WAL position. */
    public interface PrimaryPosition {
        Lsn read() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
    private final String name;
    private final long intervalNanos;
    private final long maxLagNanos;
    private final PrimaryPosition primary;
    private final ReplayTracker tracker;
    private final ReplicaHealth health;
    private final Counters counters;
    private final Thread thread;
    private volatile boolean readSeen;
    private volatile boolean closed;
    private boolean primaryFailing; // monitor thread only

    public LagMonitor(String name, long intervalNanos, long maxLagNanos, PrimaryPosition primary, ReplayTracker tracker,
            ReplicaHealth health, Counters counters) {
        this.name = name;
        this.intervalNanos = intervalNanos;
        this.maxLagNanos = maxLagNanos;
        this.primary = primary;
        this.tracker = tracker;
        this.health = health;
        this.counters = counters;
        this.thread = new Thread(this::run, "runway-lag-check-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A read-only connection is being bound: checks are due while this happens. Never blocks. */
    public void sawRead() {
        if (!readSeen) {
            readSeen = true;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long last = System.nanoTime() - intervalNanos;
        while (!closed && !Thread.currentThread().isInterrupted()) {
            if (!readSeen) {
                LockSupport.park(this); // idle: parked until a read starts
                continue;
            }
            long due = last + intervalNanos - System.nanoTime();
            if (due > 0) {
                LockSupport.parkNanos(this, due);
                continue;
            }
            readSeen = false; // reads from now on ask for the next check
            last = System.nanoTime();
            check();
        }
    }

    private void check() {
        if (health.state() != ReplicaHealth.State.UP) {
            return;
        }
        Lsn target;
        try {
            target = primary.read();
        } catch (SQLException e) {
            if (closed) {
                return;
            }
            if (!primaryFailing) {
                primaryFailing = true;
                LOG.info("lag check of replica {} skipped (reads stay on it), retrying every {} ms while reads go on: "
                        + "cannot read the primary's WAL position: {}", name, intervalNanos / 1_000_000, e.getMessage());
            } else {
                LOG.debug("lag check of replica {} skipped again: {}", name, e.getMessage());
            }
            return;
        }
        if (primaryFailing) {
            primaryFailing = false;
            LOG.info("lag check of replica {} reads the primary's WAL position again", name);
        }
        counters.lagChecks.increment();
        ReplayTracker.Waiter w = tracker.register(target);
        try {
            // REPLICA_DOWN and NOT_A_REPLICA: the tracker has already told the health.
            ReplayTracker.future(w).get(maxLagNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            tracker.cancel(w);
            counters.lagChecksLagging.increment();
            health.markLagging(target);
        } catch (InterruptedException e) {
            tracker.cancel(w);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // the tracker completes its futures normally
        }
    }

    /** Stops the thread (a check in progress is abandoned). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
