package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.internal.Sql;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cascaded replica (replica2 streaming from replica1): the primary's pg_stat_replication no longer
 * lists it, replica1's does, it still replays the primary's writes, and it can be pointed back.
 */
class CascadeIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).exclusive();

    static String senders(Node n) throws Exception {
        try (Connection c = n.connect("postgres")) {
            return String.join(",", Sql.column(c, "SELECT application_name || ':' || state FROM pg_stat_replication ORDER BY 1"));
        }
    }

    @Test
    void aReplicaStreamsFromAnotherReplicaAndBack() throws Exception {
        Lab lab = LAB.lab();
        Node r1 = lab.node("replica1");
        Node r2 = lab.node("replica2");
        r2.streamFrom(r1);
        assertThat(r2.upstream()).isSameAs(r1);
        assertThat(senders(lab.primary())).isEqualTo("replica1:streaming");
        assertThat(senders(r1)).isEqualTo("replica2:streaming");
        assertThat(lab.primary().query("SELECT string_agg(slot_name, ',') FROM pg_replication_slots"))
                .as("no slot left on the primary to retain WAL for replica2").isEqualTo("replica1");

        try (Connection c = LAB.connect()) {
            Sql.exec(c, "CREATE TABLE cascade_probe (id int); INSERT INTO cascade_probe VALUES (7)");
        }
        lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
        try (Connection c = LAB.connect(r2)) {
            assertThat(Sql.one(c, "SELECT id FROM cascade_probe")).isEqualTo("7");
        }

        r2.streamFrom(lab.primary());
        assertThat(r2.upstream()).isSameAs(lab.primary());
        assertThat(senders(lab.primary())).isEqualTo("replica1:streaming,replica2:streaming");
        assertThat(senders(r1)).isEmpty();
    }
}
