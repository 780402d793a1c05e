package dev.runway.datasource;

/**
 * What {@link RunwayDataSource#checkReplica()} found when it probed the replica ({@code SELECT pg_is_in_recovery()})
 * just now. The names are the ones {@link DataSourceMetrics#replicaState()} and the health endpoint use.
 */
public enum ReplicaCheck {
    /** The replica answers and is in recovery: reads may use it. */
    UP("the replica answers and is in recovery"),
    /** The replica does not answer: reads go to the primary until a probe finds it again. */
    DOWN("the replica does not answer: reads go to the primary until it is back"),
    /** The replica URL points at a primary (or the replica was promoted): it is ignored, reads go to the primary. */
    NOT_A_REPLICA("pg_is_in_recovery() is false: the replica URL points at a primary, which is ignored"),
    /** No replica is configured: every connection goes to the primary. */
    NONE("no replica configured: every connection goes to the primary");

    private final String description;

    ReplicaCheck(String description) {
        this.description = description;
    }

    /** A sentence for logs, e.g. "no replica configured: every connection goes to the primary". */
    public String description() {
        return description;
    }
}
