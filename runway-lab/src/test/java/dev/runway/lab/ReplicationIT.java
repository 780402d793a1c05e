package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replication through the lab: visibility follows replay LSN, and a replica 40 ms away replays
 * ≥ 40 ms after commit while a near one stays under 5 ms (p50 over 200 writes each).
 */
class ReplicationIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void rowIsVisibleOnAReplicaExactlyWhenItsReplayPassesTheCommit() throws Exception {
        Lab lab = LAB.lab();
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE vis (id int primary key)");
        }
        lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
        Node far = lab.node("replica2");
        // 2 s away for this test, so that "not yet" does not depend on how busy the machine is
        far.setUpstreamDelay(Duration.ofSeconds(2));
        try (Connection p = LAB.connect(); Connection f = LAB.connect(far); Statement ps = p.createStatement()) {
            ps.execute("INSERT INTO vis VALUES (42)");
            var target = lab.primary().currentWalLsn();
            assertThat(far.replayLsn().reached(target)).as("far replica right after the commit").isFalse();
            assertThat(count(f, "SELECT count(*) FROM vis")).isZero();
            lab.waitForReplay(target, Duration.ofSeconds(30));
            for (Node r : lab.replicas()) {
                assertThat(r.replayLsn().reached(target)).as(r.name()).isTrue();
                try (Connection rc = LAB.connect(r)) {
                    assertThat(count(rc, "SELECT count(*) FROM vis WHERE id = 42")).as(r.name()).isEqualTo(1);
                }
            }
        } finally {
            far.setUpstreamDelay(Duration.ofMillis(40));
        }
    }

    @Test
    void farReplicaLagsByTheConfiguredDelayAndNearOneDoesNot() throws Exception {
        Lab lab = LAB.lab();
        Node near = lab.node("replica1");
        Node far = lab.node("replica2");
        ReplayProbe.measure(lab, LAB.database(), List.of(near, far), 20); // warm-up
        double[][] ms = ReplayProbe.measure(lab, LAB.database(), List.of(near, far), 200);
        double nearP50 = ReplayProbe.quantile(ms[0], 0.5);
        double farP50 = ReplayProbe.quantile(ms[1], 0.5);
        assertThat(farP50).as("far p50 ms").isGreaterThanOrEqualTo(40.0).isLessThan(80.0);
        assertThat(nearP50).as("near p50 ms").isLessThan(5.0);
    }

    @Test
    void statusReportsEveryNodeWithReplayPositions() {
        Lab lab = LAB.lab();
        List<NodeStatus> st = lab.status();
        assertThat(st).extracting(NodeStatus::name).containsExactly("primary", "replica1", "replica2");
        assertThat(st.get(0).role()).isEqualTo("primary");
        assertThat(st.get(0).running()).isTrue();
        assertThat(st.get(0).pid()).isEqualTo(lab.primary().pid()).isPositive();
        for (NodeStatus s : st.subList(1, 3)) {
            assertThat(s.role()).isEqualTo("replica");
            assertThat(s.state()).isEqualTo("streaming");
            assertThat(s.replayLsn()).isNotNull();
            assertThat(s.lagBytes()).isNotNull().isGreaterThanOrEqualTo(0L);
            assertThat(s.port()).isEqualTo(lab.node(s.name()).port());
        }
        assertThat(lab.version()).startsWith("15.");
        assertThat(lab.node("replica2").upstreamDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(lab.node("replica1").upstreamDelay()).isEqualTo(Duration.ZERO);
    }
}
