package dev.runway.datasource.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.datasource.FlyReplay;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.lab.junit.LabExtension;
import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The servlet filters end to end on a real database: a write in a request on instance A sets the
 * token cookie and header; a request carrying it on instance B (the 40 ms replica) reads the write.
 * A 25006 in a non-primary region becomes a fly-replay; a replayed request does not loop.
 */
class ServletFiltersIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    private static final byte[] SECRET = "servlet-filters-secret-servlet-filters".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void schema() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kv (id int PRIMARY KEY, v bigint)");
            st.execute("INSERT INTO kv VALUES (0, 0)");
        }
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    private static RunwayDataSource instance(String region, String replica) {
        return RunwayDataSource.create(RegionConfig.builder().region(region).primaryRegion("ord").primaryUrl(LAB.url())
                .replicaUrl(LAB.url(LAB.lab().node(replica))).tokenSecret(SECRET).build());
    }

    @Test
    void cookieFromOneInstanceMakesAnotherReadTheWrite() throws Exception {
        try (RunwayDataSource a = instance("ams", "replica1"); RunwayDataSource b = instance("syd", "replica2")) {
            ConsistencyFilter fa = new ConsistencyFilter(a);
            ConsistencyFilter fb = new ConsistencyFilter(b);
            for (int i = 1; i <= 20; i++) {
                long v = i;
                FakeHttp.Response r1 = new FakeHttp.Response();
                fa.doFilter(FakeHttp.request(Map.of()), r1.proxy(), (req, res) -> {
                    try (Connection c = a.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE kv SET v = ? WHERE id = 0")) {
                        ps.setLong(1, v);
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(r1.cookies).isNotEmpty();
                Cookie cookie = r1.cookies.get(r1.cookies.size() - 1);
                assertThat(cookie.getName()).isEqualTo(ConsistencyFilter.COOKIE);
                assertThat(cookie.isHttpOnly()).isTrue();
                assertThat(r1.headers.get(ConsistencyFilter.RESPONSE_HEADER)).isEqualTo(cookie.getValue());

                long[] seen = new long[1];
                boolean viaHeader = i % 2 == 0;
                var req2 = viaHeader ? FakeHttp.request(Map.of(ConsistencyFilter.REQUEST_HEADER, cookie.getValue()))
                        : FakeHttp.request(Map.of(), new Cookie(ConsistencyFilter.COOKIE, cookie.getValue()));
                fb.doFilter(req2, new FakeHttp.Response().proxy(), (req, res) -> {
                    seen[0] = read(b);
                });
                assertThat(seen[0]).as("request %d on the other instance", i).isEqualTo(v);
            }
            assertThat(b.metrics().tokensAccepted()).isEqualTo(20);
        }
    }

    private static long read(RunwayDataSource ds) {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM kv WHERE id = 0")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writeOnTheReplicaBecomesAFlyReplayWithoutLoops() throws Exception {
        try (RunwayDataSource b = instance("syd", "replica2")) {
            FlyReplayFilter f = new FlyReplayFilter(b.flyReplay());
            FakeHttp.Response r = new FakeHttp.Response();
            f.doFilter(FakeHttp.request(Map.of()), r.proxy(), (req, res) -> writeOnReadOnly(b));
            assertThat(r.status).isEqualTo(409);
            assertThat(r.headers).containsEntry(FlyReplay.HEADER, "region=ord;state=captured_write");
            // Already replayed once: the error goes through.
            assertThatThrownBy(() -> f.doFilter(FakeHttp.request(Map.of(FlyReplay.SOURCE_HEADER, "instance=1;region=syd;state=captured_write")),
                    new FakeHttp.Response().proxy(), (req, res) -> writeOnReadOnly(b))).hasRootCauseInstanceOf(SQLException.class);
        }
    }

    /** A write on a read-only connection: the replica answers SQLSTATE 25006. */
    private static void writeOnReadOnly(RunwayDataSource ds) {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement()) {
                st.execute("UPDATE kv SET v = -1 WHERE id = 0");
            }
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("25006");
            throw new IllegalStateException("write failed", e);
        }
    }
}
