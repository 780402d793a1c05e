package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether reads may go to the local replica. Thread-safe.
 *
 * <p>DOWN and NOT_A_REPLICA are left only by a successful probe, run every {@code retry} on a
 * daemon thread while the replica is unusable (never while it is UP). LAGGING is entered when a
 * waiting read or the {@link LagMonitor} saw the replica miss a position for longer than
 * {@code maxLag}, and left when the replay tracker sees that position replayed.
 */
public final class ReplicaHealth implements AutoCloseable {
    /** The replica's state as the data source sees it. */
    public enum State { UP, DOWN, LAGGING, NOT_A_REPLICA }

    /** Checks the replica once: UP, DOWN or NOT_A_REPLICA. */
    public interface Probe {
        State check();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHealth.class);
    private final String name;
    private final long retryMillis;
    private final AtomicReference<State> state = new AtomicReference<>(State.UP);
    private final AtomicBoolean probing = new AtomicBoolean();
    private final ScheduledExecutorService probes;
    private volatile Probe probe;
    private volatile Runnable onDown = () -> { };
    private volatile ReplayTracker tracker;
    private volatile LagMonitor.PrimaryPosition primary;
    private volatile long maxLagNanos;

    public ReplicaHealth(String name, long retryMillis) {
        this.name = name;
        this.retryMillis = retryMillis;
        this.probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runway-replica-probe-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Wiring done once by the router, after construction (the tracker needs this object too). */
    public void wire(Probe p, Runnable downHook, ReplayTracker t) {
        this.probe = p;
        this.onDown = downHook;
        this.tracker = t;
    }

    public State state() {
        return state.get();
    }

    public boolean usable() {
        return state.get() == State.UP;
    }

    public void markDown(Throwable cause) {
        leave(State.DOWN, cause == null ? "" : cause.toString());
    }

    public void markNotReplica() {
        leave(State.NOT_A_REPLICA, "pg_is_in_recovery() is false: it is a primary (promoted, or the replica URL points at a primary)");
    }

    /**
     * How a LAGGING replica proves it is back: once it has replayed the position it missed, it must
     * also replay the primary's position of that moment within {@code maxLagNanos}. Without this (or
     * when the primary cannot be asked) replaying the missed position is enough, and a replica that
     * stays steadily behind would flap back into use for short spells of stale reads.
     */
    public void confirmRecoveryWith(LagMonitor.PrimaryPosition primary, long maxLagNanos) {
        this.primary = primary;
        this.maxLagNanos = maxLagNanos;
    }

    /** The replica has not replayed {@code marker} within the lag bound. */
    public void markLagging(Lsn marker) {
        if (state.compareAndSet(State.UP, State.LAGGING)) {
            LOG.warn("replica {} is lagging (has not replayed {} within the bound); reads go to the primary", name, marker);
            watchLagging(marker);
        }
    }

    private void watchLagging(Lsn marker) {
        tracker.await(marker).thenAccept(outcome -> {
            if (outcome != ReplayTracker.Outcome.REACHED || state.get() != State.LAGGING) {
                return;
            }
            if (primary == null) {
                recovered(marker);
                return;
            }
            try {
                probes.execute(() -> confirm(marker));
            } catch (RejectedExecutionException closing) {
                // the data source is closing
            }
        });
    }

    private void confirm(Lsn reached) {
        Lsn now;
        try {
            now = primary.read();
        } catch (SQLException e) {
            // The primary cannot be asked: the replica has what it was missing, and reads on it keep working.
            recovered(reached);
            return;
        }
        ReplayTracker.Waiter w = tracker.register(now);
        try {
            if (ReplayTracker.future(w).get(maxLagNanos, TimeUnit.NANOSECONDS) == ReplayTracker.Outcome.REACHED) {
                recovered(now);
            }
        } catch (TimeoutException e) {
            tracker.cancel(w);
            LOG.debug("replica {} replayed {} but not the primary's {} within the bound; still lagging", name, reached, now);
            watchLagging(now);
        } catch (InterruptedException e) {
            tracker.cancel(w);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // the tracker completes its futures normally
        }
    }

    private void recovered(Lsn at) {
        if (state.compareAndSet(State.LAGGING, State.UP)) {
            LOG.info("replica {} caught up to {}; reads return to it", name, at);
        }
    }

    private void leave(State bad, String why) {
        State prev = state.getAndSet(bad);
        if (prev != bad) {
            LOG.warn("replica {} is {} ({}); reads go to the primary, probing every {} ms", name, bad, why, retryMillis);
            if (bad == State.DOWN) {
                onDown.run();
            }
        }
        if (probing.compareAndSet(false, true)) {
            probes.schedule(this::probeOnce, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void probeOnce() {
        State seen;
        try {
            seen = probe.check();
        } catch (RuntimeException e) {
            seen = State.DOWN;
        }
        State cur = state.get();
        if (seen == State.UP && (cur == State.DOWN || cur == State.NOT_A_REPLICA) && state.compareAndSet(cur, State.UP)) {
            LOG.info("replica {} is back; reads return to it", name);
            probing.set(false);
            return;
        }
        if (seen != State.UP && seen != cur && cur != State.UP) {
            state.set(seen);
        }
        if (state.get() == State.UP || probes.isShutdown()) {
            probing.set(false);
            return;
        }
        probes.schedule(this::probeOnce, retryMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
