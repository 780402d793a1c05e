package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.internal.Sql;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code lab --tls}: clients reach every node and the PgBouncer over TLS verified against the lab's
 * throw-away CA (sslmode=verify-full), the WAL stream and PgBouncer's server connections use TLS too,
 * and the certificate names 127.0.0.1 only, so "localhost" fails verify-full.
 */
class LabTlsIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).tls().pgbouncer(PoolMode.SESSION);

    static Connection open(DatabaseUrl url) throws SQLException {
        Properties p = url.properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    @Test
    void everyPathIsVerifiedTls() throws Exception {
        LabTls tls = LAB.lab().tls();
        assertThat(tls).isNotNull();
        DatabaseUrl url = LAB.url();
        assertThat(url.params()).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", tls.caCert().toString());
        try (Connection c = open(url)) {
            assertThat(Sql.one(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("t");
            long deadline = System.nanoTime() + 30_000_000_000L;
            String walSsl;
            while ((walSsl = Sql.one(c, "SELECT bool_and(s.ssl)::text FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)")) == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(walSsl).as("the replica's WAL stream").isEqualTo("true");
        }
        try (Connection c = open(LAB.url(LAB.lab().node("replica1")))) {
            assertThat(Sql.one(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("t");
        }
        DatabaseUrl viaBouncer = LAB.pgbouncerUrl();
        assertThat(viaBouncer.params()).containsEntry("sslmode", "verify-full");
        try (Connection c = open(viaBouncer)) {
            assertThat(Sql.one(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).as("PgBouncer -> server").isEqualTo("t");
        }
    }

    @Test
    void wrongHostNameAndWrongCaFailAndRequireWorksWithoutACa() throws Exception {
        DatabaseUrl url = LAB.url();
        assertThatThrownBy(() -> open(url.withHostPort("localhost", url.port())).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("hostname");
        LabTls other = LabTls.create(LAB.lab().dir().resolve("other-ca"));
        assertThatThrownBy(() -> open(url.withParam("sslrootcert", other.caCert().toString())).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL");
        try (Connection c = open(url.withHostPort("localhost", url.port()).withParam("sslmode", "require"))) {
            assertThat(Sql.one(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("t");
        }
    }
}
