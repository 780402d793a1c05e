package dev.runway.core;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential back-off with full jitter: attempt {@code n} (from 1) waits a random time in
 * {@code [base*2^(n-1)/2, base*2^(n-1)]}, capped at {@code max}. The jitter spreads several deploy
 * machines (or retrying migrations) apart so they do not hit the database in lock step.
 * Immutable; not thread-safe only through the {@link Random} it is given.
 */
public record Backoff(Duration base, Duration max, Random random) {
    public Duration delay(int attempt) {
        long cap = max.toMillis();
        long exp = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long upper = Math.min(Math.max(exp, 1), cap);
        long lower = upper / 2;
        return Duration.ofMillis(lower + (long) (random.nextDouble() * (upper - lower + 1)));
    }
}
