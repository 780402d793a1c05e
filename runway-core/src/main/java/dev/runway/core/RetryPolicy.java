package dev.runway.core;

import dev.runway.core.pg.SqlStates;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * How Runway retries work that hit {@code lock_timeout}: a whole transactional migration, one unit of a
 * non-transactional one, one backfill batch. Only a lock timeout (SQLSTATE 55P03, {@link SqlStates#isLockTimeout})
 * is retried, at most {@code attempts} tries in all; the wait before try {@code n + 1} is {@link Backoff#delay(int)
 * backoff.delay(n)} (exponential, jittered), slept through the run's {@link Sleeper}, which ends early when a stop
 * is requested. The loops stay with their callers (each rolls back and reports in its own way); this is the
 * decision, the delay and the wait they share. Immutable; as thread-safe as the {@link Backoff}'s random.
 *
 * @param attempts tries in all, at least 1 (1 = no retry)
 * @param backoff  the delay before each further try
 * @param sleeper  the wait; throws {@link InterruptedException} when a stop is requested or the thread is interrupted
 */
public record RetryPolicy(int attempts, Backoff backoff, Sleeper sleeper) {
    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1 (got " + attempts + ")");
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * True when try {@code attempt} (from 1) failed with {@code failure} and another try may follow: a lock timeout
     * with tries left. Anything else (a statement error, a lost connection, a cancelled statement, a runtime
     * exception) is not retried.
     */
    public boolean mayRetry(Throwable failure, int attempt) {
        return attempt < attempts && failure instanceof SQLException && SqlStates.isLockTimeout((SQLException) failure);
    }

    /** The wait after try {@code attempt} (from 1) failed. */
    public Duration delay(int attempt) {
        return backoff.delay(attempt);
    }

    /**
     * Waits {@code d} before the next try.
     *
     * @throws InterruptedException when a stop request or an interrupt cut the wait short; the thread's interrupt
     *                              flag is set again, so the caller only decides what to report
     */
    public void await(Duration d) throws InterruptedException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }
}
