package dev.runway.lab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.lab.DelayProxy;
import dev.runway.lab.Node;
import java.sql.DriverManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension gives a shared 2-replica lab and a class database that exists on every node. */
class LabExtensionIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2);

    @Test
    void writeOnPrimaryIsVisibleOnEveryReplicaOnceReplayed() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int primary key, v text)");
            st.execute("INSERT INTO t VALUES (1, 'one')");
        }
        Lsn target = LAB.lab().primary().currentWalLsn();
        LAB.lab().waitForReplay(target, Duration.ofSeconds(30));
        assertThat(LAB.lab().replicas()).hasSize(2);
        for (Node r : LAB.lab().replicas()) {
            assertThat(r.replayLsn().reached(target)).isTrue();
            try (Connection c = LAB.connect(r); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT v FROM t WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
            }
        }
        assertThat(LAB.url().database()).isEqualTo(LAB.database());
        assertThat(LAB.database()).startsWith("labextensionit_");
    }

    @Test
    void cutUpstreamOfADirectReplicaTerminatesItsWalSenderAndItReconnects() throws Exception {
        Node r1 = LAB.lab().node("replica1");
        assertThat(r1.upstreamDelay()).isEqualTo(Duration.ZERO);
        String before = walsender();
        assertThat(before).isNotNull();
        r1.cutUpstream();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String after = walsender();
        while (after == null || after.equals(before) || !r1.isStreaming()) {
            assertThat(System.nanoTime()).as("replica1 streams again").isLessThan(deadline);
            Thread.sleep(20);
            after = walsender();
        }
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE after_cut (id int)");
        }
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    @Test
    void clientProxyAddsLatencyBetweenAppAndDatabase() throws Exception {
        Node primary = LAB.lab().primary();
        DelayProxy proxy = LAB.lab().proxy(primary, Duration.ofMillis(10));
        String url = primary.url(LAB.database()).withHostPort("127.0.0.1", proxy.port()).jdbcUrl() + "?user=postgres";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            double[] ms = new double[15];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                st.executeQuery("SELECT 1").close();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(ms);
            assertThat(ms[ms.length / 2]).as("p50 round trip through a 10 ms proxy").isBetween(20.0, 40.0);
            proxy.setDelay(Duration.ZERO);
            st.executeQuery("SELECT 1").close();
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                st.executeQuery("SELECT 1").close();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            java.util.Arrays.sort(ms);
            assertThat(ms[ms.length / 2]).as("p50 round trip at 0 ms").isLessThan(10.0);
        } finally {
            proxy.close();
        }
    }

    private static String walsender() throws Exception {
        try (Connection c = LAB.lab().primary().connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_replication WHERE application_name = 'replica1'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
