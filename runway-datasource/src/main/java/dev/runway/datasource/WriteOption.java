package dev.runway.datasource;

import dev.runway.core.notify.NotifySql;
import java.util.List;

/** Options of {@link RunwayDataSource#write(SqlWork, WriteOption...)}. Immutable. */
public sealed interface WriteOption permits WriteOption.Wait, WriteOption.Invalidates {
    /**
     * Do not wait for the local replica, and do not make this session's later reads wait for
     * this write either (fly_postgres's {@code await: false}): for writes nobody reads back at
     * once, such as audit rows or last-seen timestamps. The position is still returned in
     * {@link WriteResult#lsn()} for callers that want to {@link ConsistencySession#require} it later.
     */
    WriteOption NO_WAIT = Wait.NO_WAIT;

    /**
     * Invalidates {@code keys} on every instance when (and only if) the write commits: the notices
     * are sent inside the write's transaction on {@link InvalidationBus#DEFAULT_CHANNEL}, so an
     * instance that dies right after the commit still invalidates everyone. Keys are checked (at
     * most {@value NotifySql#MAX_KEY_BYTES} UTF-8 bytes) before the work runs.
     *
     * @throws dev.runway.core.RunwayException (USAGE) for a key that is too long
     */
    static WriteOption invalidates(String... keys) {
        return new Invalidates(List.of(keys));
    }

    /** How {@link #NO_WAIT} is represented. */
    enum Wait implements WriteOption {
        NO_WAIT
    }

    /**
     * Keys to invalidate when the write commits; see {@link WriteOption#invalidates(String...)}.
     *
     * @param keys the keys, each checked against NOTIFY's payload limit
     */
    record Invalidates(List<String> keys) implements WriteOption {
        public Invalidates {
            keys = List.copyOf(keys);
            keys.forEach(NotifySql::checkKey);
        }
    }
}
