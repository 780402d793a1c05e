package dev.runway.backfill.internal;

import java.time.Duration;

/**
 * Adapts the batch size towards a target batch duration: after each batch the size is scaled by
 * target / measured, the step bounded to ×0.5..×2 (one slow batch, e.g. behind a lock, must not
 * collapse the size), and the result clamped to [min, max]. A zero target keeps the size fixed.
 * Pure logic; not thread-safe.
 */
public final class BatchSizer {
    private final int min;
    private final int max;
    private final long targetNanos;

    public BatchSizer(int min, int max, Duration target) {
        this.min = min;
        this.max = max;
        this.targetNanos = target.toNanos();
    }

    /** The size for the next batch, given the size of the last one and how long it took. */
    public int next(int size, Duration took) {
        if (targetNanos <= 0) {
            return clamp(size);
        }
        double ratio = (double) targetNanos / Math.max(1_000_000L, took.toNanos());
        ratio = Math.max(0.5, Math.min(2.0, ratio));
        return clamp((int) Math.round(Math.min(Integer.MAX_VALUE, size * ratio)));
    }

    private int clamp(int n) {
        return Math.max(min, Math.min(max, n));
    }
}
