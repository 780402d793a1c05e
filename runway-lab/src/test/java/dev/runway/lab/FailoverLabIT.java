package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.lab.internal.Sql;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Lab#failover()}: the primary dies, the most advanced replica is promoted, the other one follows
 * it, and the service address and the lab's PgBouncer lead to the new primary.
 */
class FailoverLabIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).pgbouncer(PoolMode.SESSION).exclusive();

    static Connection viaService(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + LAB.lab().primaryService().port() + "/" + db
                + "?user=postgres");
    }

    @Test
    void failoverPromotesTheMostAdvancedReplicaAndEverythingFollows() throws Exception {
        Lab lab = LAB.lab();
        Node old = lab.primary();
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int)");
            st.execute("INSERT INTO t VALUES (1)");
        }
        lab.waitForReplay(old.currentWalLsn(), Duration.ofSeconds(30));
        Node replica2 = lab.node("replica2");
        replica2.setUpstreamDelay(Duration.ofMillis(300)); // replica1 is then ahead when the primary dies
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t VALUES (2)");
        }
        Thread.sleep(100);
        Connection before = viaService(LAB.database());
        assertThat(Sql.one(before, "SELECT pg_is_in_recovery()")).isEqualTo("f");

        Node promoted = lab.failover();

        assertThat(promoted.name()).isEqualTo("replica1");
        assertThat(lab.primary()).isSameAs(promoted);
        assertThat(old.isRunning()).isFalse();
        assertThatThrownBy(() -> Sql.one(before, "SELECT 1")).as("connections through the service are cut").isInstanceOf(SQLException.class);
        before.close();
        try (Connection c = viaService(LAB.database()); Statement st = c.createStatement()) {
            assertThat(Sql.one(c, "SELECT pg_is_in_recovery()")).isEqualTo("f");
            assertThat(Sql.one(c, "SELECT inet_server_port()")).isEqualTo(String.valueOf(promoted.port()));
            st.execute("INSERT INTO t VALUES (3)");
        }
        lab.waitForReplay(promoted.currentWalLsn(), Duration.ofSeconds(30));
        try (Connection c = LAB.connect(replica2)) {
            assertThat(Sql.one(c, "SELECT string_agg(id::text, ',' ORDER BY id) FROM t")).as("replica2 follows the new primary")
                    .isEqualTo("1,2,3");
        }
        try (Connection c = LAB.pgbouncer().connect(LAB.database())) {
            assertThat(LAB.pgbouncer().target()).isSameAs(promoted);
            assertThat(Sql.one(c, "SELECT inet_server_port()")).isEqualTo(String.valueOf(promoted.port()));
        }
    }
}
