package dev.runway.datasource.internal;

import java.util.Arrays;

/**
 * When the replay poller polls next. Pure arithmetic on nanosecond times, so it is unit-tested
 * without a database. Not thread-safe: owned by the poller (under its lock).
 *
 * <p>The model: a waiter registered at {@code t0} is satisfied some time later that depends on the
 * replica's distance (≈0.5 ms on loopback, ≈42 ms for a replica 40 ms from the primary). From the
 * last {@value #HISTORY} observed waits it keeps the shortest {@code S} and the median {@code E}.
 * Polling before {@code 0.75·S} would waste queries, so the poller sleeps until then (never longer
 * than {@code max}); until {@code 3·E} it polls every {@code max(min, E/50)}, which bounds the added
 * latency to ~2% of the replication delay; after that the replica is late and the interval grows by
 * an eighth of the lateness, up to {@code max} (a waiter that is never satisfied costs one poll per
 * {@code max}). The shortest and the median, not a mean, so that one slow replay (or a poll delayed
 * by a busy CPU, which lengthens the observed wait) does not push the next waits' first poll late.
 * The next poll is the earliest any waiter wants, so the rate depends on the spread of registration
 * times, never on the number of waiters.
 */
public final class PollSchedule {
    static final int HISTORY = 32;
    private final long min;
    private final long max;
    private final long[] recent = new long[HISTORY];
    private int count;
    private int next;
    private long shortest;
    private long median;

    /** @param minNanos shortest interval; @param maxNanos longest interval while anyone waits */
    public PollSchedule(long minNanos, long maxNanos) {
        this.min = minNanos;
        this.max = maxNanos;
    }

    /** Feeds one observed wait (registration to the poll that satisfied it). */
    public void observe(long waitNanos) {
        recent[next] = waitNanos;
        next = (next + 1) % HISTORY;
        count = Math.min(count + 1, HISTORY);
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        shortest = sorted[0];
        median = sorted[count / 2];
    }

    /** The median of recent waits, in nanoseconds (0 before any). */
    public long expectedNanos() {
        return median;
    }

    /** The delay from {@code lastPoll} to the poll a waiter registered at {@code registeredAt} wants. */
    public long delayFor(long registeredAt, long lastPoll) {
        long nearStart = registeredAt + shortest * 3 / 4;
        if (lastPoll < nearStart) {
            return clamp(nearStart - lastPoll);
        }
        long late = lastPoll - registeredAt - 3 * median;
        return clamp(Math.max(median / 50, late / 8));
    }

    private long clamp(long d) {
        return Math.max(min, Math.min(max, d));
    }
}
