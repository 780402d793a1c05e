package dev.runway.datasource.internal;

/**
 * When the replay poller polls next. Pure arithmetic on nanosecond times, so it is unit-tested
 * without a database. Not thread-safe: owned by the poller thread.
 *
 * <p>The model: a waiter registered at {@code t0} is usually satisfied about {@code E} later, where
 * {@code E} is a moving average of observed waits (≈0.5 ms on loopback, ≈42 ms for a replica
 * 40 ms from the primary). Polling before {@code 0.75·E} mostly wastes queries, so the poller
 * sleeps until then (but never longer than {@code max}); between {@code 0.75·E} and {@code 3·E} it
 * polls every {@code max(min, E/50)}, which bounds the added latency to ~2% of the replication
 * delay; after {@code 3·E} the replica is late and the interval grows by an eighth of the lateness,
 * up to {@code max} (a waiter that is never satisfied costs one poll per {@code max}). The next poll is the earliest any waiter wants, so the rate depends on the
 * spread of registration times, never on the number of waiters.
 */
public final class PollSchedule {
    private static final double ALPHA = 0.2;
    private final long min;
    private final long max;
    private double expected;

    /** @param minNanos shortest interval; @param maxNanos longest interval while anyone waits */
    public PollSchedule(long minNanos, long maxNanos) {
        this.min = minNanos;
        this.max = maxNanos;
    }

    /** Feeds one observed wait (registration to the poll that satisfied it). */
    public void observe(long waitNanos) {
        expected = expected == 0 ? waitNanos : expected + ALPHA * (waitNanos - expected);
    }

    /** The current estimate of a typical wait, in nanoseconds. */
    public long expectedNanos() {
        return (long) expected;
    }

    /** The delay from {@code lastPoll} to the poll a waiter registered at {@code registeredAt} wants. */
    public long delayFor(long registeredAt, long lastPoll) {
        long e = (long) expected;
        long nearStart = registeredAt + e * 3 / 4;
        if (lastPoll < nearStart) {
            return clamp(nearStart - lastPoll);
        }
        // Late waiters back off in proportion to how late they are: at most ~1/8 added on top of
        // the lateness, and a waiter that is never satisfied ends at `max` (one poll per 20 ms).
        long late = lastPoll - registeredAt - 3 * e;
        return clamp(Math.max(e / 50, late / 8));
    }

    private long clamp(long d) {
        return Math.max(min, Math.min(max, d));
    }
}
