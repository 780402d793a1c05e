package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import dev.runway.core.pg.Pooling;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's PgBouncer in front of the lab's primary, in both pool modes: queries pass, the pool mode is
 * what {@link Pooling#detect} sees (a transaction pooler hands a second client the first one's server
 * session at once), and it stops with the lab.
 */
class PgBouncerIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary().pgbouncer(PoolMode.TRANSACTION);

    @Test
    void transactionPoolingIsSeenAsSuchAndSessionPoolingAsSession() throws Exception {
        PgBouncer tx = LAB.pgbouncer();
        assertThat(tx.mode()).isEqualTo(PoolMode.TRANSACTION);
        assertThat(tx.isRunning()).isTrue();
        assertThat(tx.target()).isSameAs(LAB.lab().primary());
        String db = LAB.database();
        try (Connection c = tx.connect(db)) {
            assertThat(Pooling.behindPooler(c)).isTrue();
            assertThat(Pooling.detect(c, () -> tx.connect(db))).isEqualTo(Pooling.TRANSACTION);
        }
        PgBouncer session = LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.SESSION);
        assertThat(session.port()).isNotEqualTo(tx.port());
        assertThat(LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.SESSION)).isSameAs(session);
        for (int i = 0; i < 5; i++) {
            try (Connection c = session.connect(db); Connection busy = session.connect(db)) {
                assertThat(Pooling.backendPid(busy)).isPositive(); // a second client with a server session of its own
                assertThat(Pooling.detect(c, () -> session.connect(db))).isEqualTo(Pooling.SESSION);
            }
        }
        try (Connection c = LAB.connect()) {
            assertThat(Pooling.behindPooler(c)).isFalse();
            assertThat(Pooling.detect(c, () -> {
                throw new AssertionError("no probe connection for a direct one");
            })).isEqualTo(Pooling.NONE);
        }
        try (Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + LAB.lab().primaryService().port() + "/" + db + "?user=postgres")) {
            assertThat(Pooling.detect(c, () -> null)).as("a plain TCP proxy is no pooler").isEqualTo(Pooling.NONE);
        }
    }

    @Test
    void rolesOfTheServerLogInThroughItAndTheUrlNamesIt() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bouncer_app') THEN"
                    + " CREATE ROLE bouncer_app LOGIN PASSWORD 'pw-of-app'; END IF; END$$");
        }
        var url = LAB.pgbouncerUrl();
        assertThat(url.port()).isEqualTo(LAB.pgbouncer().port());
        assertThat(url.database()).isEqualTo(LAB.database());
        var p = new java.util.Properties();
        p.setProperty("user", "bouncer_app");
        p.setProperty("password", "pw-of-app");
        try (Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), p); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT current_user, current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("bouncer_app");
            assertThat(rs.getString(2)).isEqualTo(LAB.database());
        }
    }

    @Test
    void stopAndStartAndAMissingBinaryIsAClearUsageError() throws Exception {
        PgBouncer b = LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.TRANSACTION);
        assertThat(b).isSameAs(LAB.pgbouncer());
        long pid = b.pid();
        b.stop();
        assertThat(b.isRunning()).isFalse();
        assertThat(dev.runway.lab.internal.Os.isAlive(pid)).isFalse();
        assertThatThrownBy(() -> b.connect(LAB.database()).close()).isInstanceOf(RuntimeException.class);
        b.start();
        try (Connection c = b.connect(LAB.database())) {
            assertThat(Pooling.backendPid(c)).isPositive();
        }
        assertThatThrownBy(() -> dev.runway.lab.internal.PgBouncerProcess.binary(Map.of("RUNWAY_PGBOUNCER", "/nonexistent/pgbouncer")))
                .isInstanceOf(RunwayException.class).hasMessageContaining("RUNWAY_PGBOUNCER=/nonexistent/pgbouncer");
    }
}
