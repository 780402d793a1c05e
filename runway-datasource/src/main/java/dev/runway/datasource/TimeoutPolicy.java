package dev.runway.datasource;

/**
 * What a read does when the local replica has not replayed the reader's required WAL position
 * within {@link RegionConfig#waitTimeout()}. Either way the write that produced the position
 * stays committed and is never reported as failed.
 */
public enum TimeoutPolicy {
    /** Read from the primary instead: correct, slower (a cross-region round trip). The default. */
    READ_PRIMARY,
    /** Throw {@link ReplicaLagException} from the read; the caller decides (retry, fly-replay, stale). */
    THROW
}
