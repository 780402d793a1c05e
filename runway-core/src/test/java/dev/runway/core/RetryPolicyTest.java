package dev.runway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one lock-timeout retry policy: which failures are retried, how many times, how long it waits, and how a stop ends the wait. */
class RetryPolicyTest {
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10), new Random(42));

    static SQLException state(String sqlState) {
        return new SQLException("boom", sqlState);
    }

    /** A random that always answers {@code d}: the lowest (0) or the highest (just below 1) jitter. */
    static Random fixed(double d) {
        return new Random() {
            @Override
            public double nextDouble() {
                return d;
            }
        };
    }

    @Test
    void retriesOnlyLockTimeoutsAndOnlyWhileTriesAreLeft() {
        RetryPolicy p = new RetryPolicy(3, DEFAULT, Sleeper.SYSTEM);
        assertThat(p.mayRetry(state("55P03"), 1)).isTrue();
        assertThat(p.mayRetry(state("55P03"), 2)).isTrue();
        assertThat(p.mayRetry(state("55P03"), 3)).as("the last try is not followed by another").isFalse();
        assertThat(p.mayRetry(state("55P03"), 4)).isFalse();
        for (String notRetried : new String[] {"40001", "40P01", "57014", "08006", "08001", "57P01", "42P01", "23505", "25006"}) {
            assertThat(p.mayRetry(state(notRetried), 1)).as(notRetried).isFalse();
        }
        assertThat(p.mayRetry(new SQLException("no state"), 1)).isFalse();
        assertThat(p.mayRetry(new SQLException("io", null, new IOException("reset")), 1)).isFalse();
        assertThat(p.mayRetry(new IllegalStateException("55P03"), 1)).as("only an SQLException carries a SQLSTATE").isFalse();
    }

    @Test
    void oneAttemptMeansNoRetryAndFewerIsRefused() {
        assertThat(new RetryPolicy(1, DEFAULT, Sleeper.SYSTEM).mayRetry(state("55P03"), 1)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(0, DEFAULT, Sleeper.SYSTEM)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delaysAreJitteredWithinHalfToFullOfTheExponentialStepAndCapped() {
        RetryPolicy p = new RetryPolicy(10, DEFAULT, Sleeper.SYSTEM);
        long[] upper = {250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000};
        for (int attempt = 1; attempt <= upper.length; attempt++) {
            long hi = upper[attempt - 1];
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (int i = 0; i < 200; i++) {
                long ms = p.delay(attempt).toMillis();
                assertThat(ms).as("attempt " + attempt).isBetween(hi / 2, hi);
                seen.add(ms);
            }
            assertThat(seen).as("attempt " + attempt + " is jittered").hasSizeGreaterThan(10);
        }
        assertThat(p.delay(1000).toMillis()).as("a huge attempt number does not overflow").isBetween(5_000L, 10_000L);
    }

    @Test
    void jitterSpansTheWholeRange() {
        Duration base = Duration.ofMillis(250);
        Duration max = Duration.ofSeconds(10);
        assertThat(new RetryPolicy(5, new Backoff(base, max, fixed(0)), Sleeper.SYSTEM).delay(3)).isEqualTo(Duration.ofMillis(500));
        assertThat(new RetryPolicy(5, new Backoff(base, max, fixed(0.9999999)), Sleeper.SYSTEM).delay(3))
                .isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void awaitSleepsTheDelayThroughTheSleeper() throws InterruptedException {
        List<Duration> slept = new ArrayList<>();
        RetryPolicy p = new RetryPolicy(3, DEFAULT, slept::add);
        p.await(Duration.ofMillis(123));
        assertThat(slept).containsExactly(Duration.ofMillis(123));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aStopDuringTheWaitEndsItAndLeavesTheThreadInterrupted() {
        RetryPolicy p = new RetryPolicy(3, DEFAULT, d -> {
            throw new InterruptedException("stop requested");
        });
        try {
            assertThatThrownBy(() -> p.await(Duration.ofSeconds(5))).isInstanceOf(InterruptedException.class)
                    .hasMessage("stop requested");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }
}
