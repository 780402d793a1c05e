package dev.runway.datasource;

/** Options of {@link RunwayDataSource#write(SqlWork, WriteOption...)}. */
public enum WriteOption {
    /**
     * Do not wait for the local replica, and do not make this session's later reads wait for
     * this write either (fly_postgres's {@code await: false}): for writes nobody reads back at
     * once, such as audit rows or last-seen timestamps. The position is still returned in
     * {@link WriteResult#lsn()} for callers that want to {@link ConsistencySession#require} it later.
     */
    NO_WAIT
}
