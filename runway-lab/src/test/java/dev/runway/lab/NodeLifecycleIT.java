package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kill, restart, stop/start, setUpstreamDelay, cutUpstream and promote on an exclusive lab. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLifecycleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(10)).exclusive();

    private static void sql(Node n, String sql) throws SQLException {
        try (Connection c = LAB.connect(n); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Node n, String table) throws SQLException {
        try (Connection c = LAB.connect(n); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void awaitStreaming(Node n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!n.isStreaming()) {
            assertThat(System.nanoTime()).as(n.name() + " streaming again within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String walsenderPid(String replica) throws SQLException {
        try (Connection c = LAB.lab().primary().connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_replication WHERE application_name = '" + replica + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    @Order(1)
    void killedPrimaryRecoversCommittedDataAndReplicasReconnect() throws Exception {
        Node p = LAB.lab().primary();
        sql(p, "CREATE TABLE k (id int)");
        sql(p, "INSERT INTO k SELECT generate_series(1, 1000)");
        long pid = p.pid();
        p.kill();
        assertThat(p.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(LAB.lab().status().get(0).state()).isEqualTo("stopped");
        p.start();
        assertThat(p.pid()).isPositive().isNotEqualTo(pid);
        assertThat(Files.readString(p.logFile())).contains("not properly shut down");
        assertThat(count(p, "k")).isEqualTo(1000);
        for (Node r : LAB.lab().replicas()) {
            awaitStreaming(r);
        }
    }

    @Test
    @Order(2)
    void restartAndStopStartKeepPortsAndData() throws Exception {
        Node r1 = LAB.lab().node("replica1");
        int port = r1.port();
        long pid = r1.pid();
        r1.restart();
        assertThat(r1.pid()).isNotEqualTo(pid);
        assertThat(r1.port()).isEqualTo(port);
        awaitStreaming(r1);
        r1.stop();
        assertThat(r1.isRunning()).isFalse();
        assertThat(LAB.lab().status().get(1).state()).isEqualTo("stopped");
        sql(LAB.lab().primary(), "INSERT INTO k VALUES (1001)");
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30)); // skips the stopped one
        r1.start();
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
        assertThat(count(r1, "k")).isEqualTo(1001);
    }

    @Test
    @Order(3)
    void setUpstreamDelayMovesAReplicaFarAndBack() throws Exception {
        Lab lab = LAB.lab();
        Node r1 = lab.node("replica1");
        r1.setUpstreamDelay(Duration.ofMillis(30));
        assertThat(r1.upstreamDelay()).isEqualTo(Duration.ofMillis(30));
        awaitStreaming(r1);
        double far = ReplayProbe.quantile(ReplayProbe.measure(lab, LAB.database(), List.of(r1), 40)[0], 0.5);
        assertThat(far).as("p50 ms at 30 ms").isGreaterThanOrEqualTo(30.0).isLessThan(70.0);
        r1.setUpstreamDelay(Duration.ZERO);
        ReplayProbe.measure(lab, LAB.database(), List.of(r1), 5);
        double near = ReplayProbe.quantile(ReplayProbe.measure(lab, LAB.database(), List.of(r1), 40)[0], 0.5);
        assertThat(near).as("p50 ms at 0 ms").isLessThan(5.0);
        // replica2 is behind a proxy from the start: changing it is immediate
        Node r2 = lab.node("replica2");
        r2.setUpstreamDelay(Duration.ofMillis(25));
        ReplayProbe.measure(lab, LAB.database(), List.of(r2), 3);
        double r2p50 = ReplayProbe.quantile(ReplayProbe.measure(lab, LAB.database(), List.of(r2), 30)[0], 0.5);
        assertThat(r2p50).isGreaterThanOrEqualTo(25.0).isLessThan(60.0);
        r2.setUpstreamDelay(Duration.ofMillis(10));
        assertThatThrownBy(() -> lab.primary().setUpstreamDelay(Duration.ZERO)).isInstanceOf(RunwayException.class)
                .hasMessageContaining("primary");
    }

    @Test
    @Order(4)
    void cutUpstreamDropsTheWalConnectionAndTheReplicaReconnects() throws Exception {
        for (String name : List.of("replica1", "replica2")) { // both behind proxies by now; the direct path is in LabExtensionIT
            Node r = LAB.lab().node(name);
            awaitStreaming(r);
            String before = walsenderPid(name);
            r.cutUpstream();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String after = walsenderPid(name);
            while (after == null || after.equals(before)) {
                assertThat(System.nanoTime()).as(name + " reconnected").isLessThan(deadline);
                Thread.sleep(20);
                after = walsenderPid(name);
            }
            awaitStreaming(r);
        }
        sql(LAB.lab().primary(), "INSERT INTO k VALUES (1002)");
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    @Test
    @Order(5)
    void promoteMakesAReplicaThePrimary() throws Exception {
        Lab lab = LAB.lab();
        Node old = lab.primary();
        Node r2 = lab.node("replica2");
        Lsn before = r2.replayLsn();
        assertThatThrownBy(() -> sql(r2, "INSERT INTO k VALUES (0)")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        r2.promote();
        assertThat(r2.isPrimary()).isTrue();
        assertThat(old.isPrimary()).isFalse();
        assertThat(lab.primary()).isSameAs(r2);
        sql(r2, "INSERT INTO k VALUES (2000)");
        assertThat(count(r2, "k")).isEqualTo(1003);
        assertThat(r2.currentWalLsn().reached(before)).isTrue();
        assertThatThrownBy(r2::promote).isInstanceOf(RunwayException.class).hasMessageContaining("already a primary");
        List<NodeStatus> st = lab.status();
        assertThat(st.get(0).name()).isEqualTo("primary");
        assertThat(st.get(0).state()).isEqualTo("detached");
        assertThat(st.get(2).role()).isEqualTo("primary");
        assertThat(st.get(2).state()).isEqualTo("primary");
        assertThat(st.get(1).role()).isEqualTo("replica"); // replica1 still follows the old primary
    }
}
