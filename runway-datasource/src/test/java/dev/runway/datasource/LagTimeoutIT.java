package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica 1 s behind and a 200 ms wait: the read policy decides (primary, or an exception), the
 * committed write is reported as committed, the replica counts as lagging (all reads to the primary)
 * and is used again once it has caught up.
 */
class LagTimeoutIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 1);
    }

    private static Node slow() {
        return LAB.lab().node("replica1");
    }

    @AfterEach
    void fast() {
        slow().setUpstreamDelay(Duration.ZERO);
    }

    @Test
    void readPrimaryPolicyFallsBackThenReturnsToTheReplica() throws Exception {
        slow().setUpstreamDelay(Duration.ofSeconds(1));
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, slow()).waitTimeout(Duration.ofMillis(200)).build())) {
            WriteResult<Void> w = ds.write(c -> {
                Its.set(c, 0, 11);
                return null;
            });
            assertThat(w.visibleLocally()).as("committed, but not yet on the replica").isFalse();
            assertThat(w.lsn()).isNotNull();
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(Its.get(c, 0)).isEqualTo(11);
                assertThat(Its.onReplica(c)).isFalse();
            }
            DataSourceMetrics m = ds.metrics();
            assertThat(m.waitTimeouts()).as("the write's wait; the read then skipped the lagging replica").isEqualTo(1);
            assertThat(m.fallbacks()).isEqualTo(1);
            assertThat(m.replicaState()).isEqualTo("LAGGING");
            // Still 1 s behind: replaying the missed position is not enough to come back, the replica
            // must also catch up with the primary within the bound (no spells of stale reads).
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(ds.metrics().replicaState()).as("steadily 1 s behind a 200 ms bound").isEqualTo("LAGGING");
                Thread.sleep(50);
            }
            slow().setUpstreamDelay(Duration.ZERO);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!ds.metrics().replicaState().equals("UP") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ds.metrics().replicaState()).isEqualTo("UP");
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(Its.get(c, 0)).isEqualTo(11);
                assertThat(Its.onReplica(c)).isTrue();
            }
        }
    }

    @Test
    void throwPolicyRaisesAClearTransientError() throws Exception {
        slow().setUpstreamDelay(Duration.ofSeconds(1));
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, slow()).waitTimeout(Duration.ofMillis(200))
                .timeoutPolicy(TimeoutPolicy.THROW).build())) {
            try (Connection c = ds.getConnection()) {
                Its.set(c, 0, 12); // autocommit write: committed when this returns
            }
            assertThatThrownBy(() -> ds.read(c -> Its.get(c, 0))).isInstanceOf(ReplicaLagException.class)
                    .hasMessageContaining("waited 200 ms").hasMessageContaining("The write is committed")
                    .extracting(e -> ((ReplicaLagException) e).getSQLState()).isEqualTo("57014");
            try (Connection c = LAB.connect()) {
                assertThat(Its.get(c, 0)).isEqualTo(12);
            }
        }
    }
}
