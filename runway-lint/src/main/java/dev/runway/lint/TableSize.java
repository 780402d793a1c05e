package dev.runway.lint;

import java.util.Locale;

/**
 * Real size of a target table, read with {@code --against}: heap bytes ({@code pg_relation_size}),
 * total bytes with indexes and TOAST, and the planner's row estimate ({@code reltuples}).
 */
public record TableSize(String table, long heapBytes, long totalBytes, long rows) {
    /** "12 GB" style. */
    public static String bytes(long b) {
        return dev.runway.core.ByteSizes.format(b);
    }

    /** "12 GB, ~48,000,000 rows". */
    public String describe() {
        return bytes(totalBytes) + (rows >= 0 ? String.format(Locale.ROOT, ", ~%,d rows", rows) : "");
    }
}
