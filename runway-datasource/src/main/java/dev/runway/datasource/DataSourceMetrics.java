package dev.runway.datasource;

/**
 * A snapshot of a {@link RunwayDataSource}'s counters since it started. Immutable.
 *
 * @param readsReplica read-only connections bound to the local replica
 * @param readsPrimary read-only connections bound to the primary (no replica here, or fallback)
 * @param writes write transactions (and autocommit write connections) whose position was captured
 * @param waits reads that had to wait for the replica to replay the session's position
 * @param waitTimeouts waits that ended at {@code waitTimeout}
 * @param fallbacks reads sent to the primary although a replica is configured (down, lagging,
 *     not a replica, timed out, or failed on its first statement and was retried on the primary)
 * @param replicaPolls replay-position queries sent to the replica
 * @param lagChecks lag checks run (the primary's position read, its replay awaited up to {@code maxLag})
 * @param lagChecksLagging lag checks that found the replica more than {@code maxLag} behind (it
 *     became LAGGING)
 * @param tokensAccepted consistency tokens accepted
 * @param tokensIgnored consistency tokens ignored (malformed, bad signature, other server)
 * @param replicaState UP, DOWN, LAGGING, NOT_A_REPLICA, or NONE when no replica is configured
 */
public record DataSourceMetrics(long readsReplica, long readsPrimary, long writes, long waits, long waitTimeouts,
        long fallbacks, long replicaPolls, long lagChecks, long lagChecksLagging, long tokensAccepted, long tokensIgnored,
        String replicaState) {
}
