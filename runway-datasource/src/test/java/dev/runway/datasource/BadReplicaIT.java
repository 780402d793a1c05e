package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica URL that points at a primary (fly_postgres #36: {@code top1.nearest.of} resolving to
 * the primary itself) is detected and safely ignored: reads go to the configured primary, and
 * {@link RunwayDataSource#checkReplica()} says so for a fail-fast start-up check.
 */
class BadReplicaIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 1);
    }

    @Test
    void replicaUrlPointingAtAPrimaryIsDetectedAndIgnored() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, null).replicaUrl(LAB.url()).build())) {
            for (int i = 1; i <= 5; i++) {
                try (Connection c = ds.getConnection()) {
                    Its.set(c, 0, i);
                }
                long got = ds.read(c -> Its.get(c, 0));
                assertThat(got).isEqualTo(i);
            }
            assertThat(ds.metrics().replicaState()).isEqualTo("NOT_A_REPLICA");
            assertThat(ds.checkReplica()).isEqualTo(ReplicaCheck.NOT_A_REPLICA);
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(Its.onReplica(c)).isFalse();
            }
        }
    }

    @Test
    void unreachableReplicaAtStartIsNotAnError() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, null)
                .replicaUrl(LAB.url().withHostPort("127.0.0.1", 1)).build())) {
            long got = ds.read(c -> Its.get(c, 0));
            assertThat(got).isGreaterThanOrEqualTo(0);
            assertThat(ds.metrics().replicaState()).isEqualTo("DOWN");
            assertThat(ds.checkReplica()).isEqualTo(ReplicaCheck.DOWN);
        }
    }
}
