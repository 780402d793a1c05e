package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL 17 from the zonky bundle (no system binaries of that major here): downloaded once from
 * Maven Central into the cache (the first run takes longer), then a primary and a cold-copied replica.
 */
class Pg17IT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).pgVersion("17");

    @Test
    void startsWithAStreamingReplica() throws Exception {
        Lab lab = LAB.lab();
        assertThat(lab.version()).startsWith("17.");
        assertThat(lab.binaries().binDir().toString()).contains("/pg/17.");
        assertThat(Files.exists(lab.binaries().binDir().resolve("pg_basebackup"))).isFalse();
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE v17 AS SELECT current_setting('server_version_num')::int AS v");
        }
        lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
        Node r = lab.node("replica1");
        assertThat(r.isStreaming()).isTrue();
        try (Connection c = LAB.connect(r); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM v17")) {
            rs.next();
            assertThat(rs.getInt(1)).isBetween(170000, 179999);
        }
    }

    @Test
    void resolvingAgainUsesTheCachedBundle() {
        PgBinaries again = PgBinaries.resolve("17", java.util.Map.of(), LAB.lab().config().cacheDir());
        assertThat(again).isEqualTo(LAB.lab().binaries());
    }
}
