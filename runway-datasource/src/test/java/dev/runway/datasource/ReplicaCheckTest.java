package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RunwayDataSource#checkReplica()} without a replica (the probed cases are in BadReplicaIT and FailoverIT). */
class ReplicaCheckTest {
    @Test
    void withoutAReplicaTheCheckSaysNoneAndWhy() {
        try (RunwayDataSource ds = RunwayDataSource.create(RegionConfig.builder().primaryUrl("postgres://u@127.0.0.1:1/db")
                .build())) {
            assertThat(ds.checkReplica()).isEqualTo(ReplicaCheck.NONE);
            assertThat(ds.checkReplica().description()).isEqualTo("no replica configured: every connection goes to the primary");
        }
    }

    @Test
    void theNamesAreTheOnesTheMetricsUse() {
        assertThat(ReplicaCheck.valueOf("NOT_A_REPLICA")).isEqualTo(ReplicaCheck.NOT_A_REPLICA);
        assertThat(ReplicaCheck.DOWN.name()).isEqualTo("DOWN");
    }
}
