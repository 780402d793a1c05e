package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.LabTls;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data source on a lab whose servers run with TLS: with {@code sslmode=verify-full} and the lab's CA
 * in {@code sslrootcert}, writes, replica reads, read-your-writes waits and the poller all run over
 * verified TLS; a CA that did not sign the primary's certificate fails writes with one clear message;
 * the same mistake on the replica URL costs no read (they go to the primary, the replica is DOWN).
 */
class TlsDataSourceIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).tls();

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 8);
    }

    static Node replica() {
        return LAB.lab().node("replica1");
    }

    static boolean ssl(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void verifyFullWorksForWritesReadsAndThePoller() throws Exception {
        assertThat(LAB.url().params()).containsEntry("sslmode", "verify-full");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica()).build())) {
            long stale = ReadYourWritesIT.cycles(ds, 1_000);
            try (Connection c = ds.getConnection()) {
                assertThat(ssl(c)).as("primary session").isTrue();
            }
            assertThat((boolean) ds.read(TlsDataSourceIT::ssl)).as("replica session").isTrue();
            try (Connection c = LAB.connect(replica()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a"
                         + " JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'runway-replay-poller'")) {
                rs.next();
                assertThat(rs.getLong(2)).as("the poller's session").isEqualTo(1);
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            DataSourceMetrics m = ds.metrics();
            System.out.printf("TlsDataSourceIT: verify-full: 1000 write-then-read cycles, 0 failed, %d stale; %s%n", stale, m);
            assertThat(stale).isZero();
            assertThat(m.readsReplica()).isGreaterThanOrEqualTo(1000);
            assertThat(m.replicaPolls()).isPositive();
        }
    }

    @Test
    void aWrongCaFailsWritesClearlyAndCostsNoRead() throws Exception {
        LabTls other = LabTls.create(LAB.lab().dir().resolve("other-ca-ds"));
        DatabaseUrl wrongPrimary = LAB.url().withParam("sslrootcert", other.caCert().toString());
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica()).primaryUrl(wrongPrimary).build())) {
            assertThatThrownBy(() -> ds.write(c -> {
                Its.set(c, 0, 1);
                return null;
            })).isInstanceOf(SQLException.class).hasMessageContaining("cannot connect to the primary")
                    .hasMessageContaining("over TLS: the server's TLS certificate is not signed by the CA in sslrootcert=" + other.caCert());
            assertThat((long) ds.read(c -> Its.get(c, 0))).isNotNegative();
        }
        DatabaseUrl wrongReplica = LAB.url(replica()).withParam("sslrootcert", other.caCert().toString());
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica()).replicaUrl(wrongReplica).build())) {
            int failed = 0;
            for (int i = 1; i <= 20; i++) {
                long v = i;
                ds.write(c -> {
                    Its.set(c, 1, v);
                    return null;
                });
                try {
                    assertThat((long) ds.read(c -> Its.get(c, 1))).isEqualTo(v);
                } catch (SQLException e) {
                    failed++;
                }
            }
            DataSourceMetrics m = ds.metrics();
            System.out.printf("TlsDataSourceIT: replica URL with a wrong CA: 20 reads, %d failed, all on the primary; %s%n", failed, m);
            assertThat(failed).isZero();
            assertThat(m.readsPrimary()).isEqualTo(20);
            assertThat(m.replicaState()).isEqualTo("DOWN");
        }
    }
}
