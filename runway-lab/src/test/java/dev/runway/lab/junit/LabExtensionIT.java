package dev.runway.lab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.lab.Node;
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
}
