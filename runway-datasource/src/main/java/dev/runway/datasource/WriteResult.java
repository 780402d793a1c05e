package dev.runway.datasource;

import dev.runway.core.Lsn;

/**
 * The outcome of a committed write. A write whose commit succeeded is always returned, never
 * thrown, even when the local replica did not catch up in time.
 *
 * @param value what the work returned
 * @param lsn the primary's WAL position right after the commit (covers the commit record), or
 *     null when the transaction wrote nothing
 * @param visibleLocally true when the local replica (or the primary, where reads go to the
 *     primary) is known to show the write; false after a wait timeout or with {@link WriteOption#NO_WAIT}
 * @param <T> the work's result type
 */
public record WriteResult<T>(T value, Lsn lsn, boolean visibleLocally) {
}
