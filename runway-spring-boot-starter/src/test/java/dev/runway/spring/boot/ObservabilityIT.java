package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.lab.junit.LabExtension;
import dev.runway.spring.boot.apps.jdbc.JdbcApp;
import dev.runway.spring.boot.internal.RunwayHealthIndicator;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * What operations see, through Spring Boot Actuator over HTTP: hikaricp.* meters for both pools,
 * runway.datasource.* meters, and the runway health component (primary, replica, replay lag) in
 * place of Boot's primary-only db indicator. Then the health verdicts for a replica that is down, a
 * "replica" that is a primary, and an instance that reaches neither database.
 */
class ObservabilityIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).delay("replica1", Duration.ofMillis(40));
    private static final String CLOSED = "postgres://postgres@127.0.0.1:1/nowhere";

    @Test
    void actuatorShowsBothPoolsRunwaysMetersAndHealth() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kv (id int PRIMARY KEY, v bigint NOT NULL)");
            st.execute("INSERT INTO kv VALUES (1, 0)");
        }
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
        try (Instance syd = Instance.start(JdbcApp.class, Instance.region(LAB, "syd", "replica1"))) {
            HttpClient user = Instance.user();
            SpringReadYourWritesIT.ok(syd.post(user, "/kv/1?v=5"));
            SpringReadYourWritesIT.ok(syd.get(user, "/kv/1"));
            for (String pool : new String[] {"runway-primary", "runway-replica"}) {
                JsonNode m = Instance.json(SpringReadYourWritesIT.ok(syd.get(user, "/actuator/metrics/hikaricp.connections?tag=pool:" + pool)));
                assertThat(m.get("measurements").get(0).get("value").asDouble()).as(pool + " connections").isGreaterThanOrEqualTo(1);
                SpringReadYourWritesIT.ok(syd.get(user, "/actuator/metrics/hikaricp.connections.acquire?tag=pool:" + pool));
            }
            JsonNode reads = Instance.json(SpringReadYourWritesIT.ok(syd.get(user, "/actuator/metrics/runway.datasource.reads?tag=route:replica")));
            assertThat(reads.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
            SpringReadYourWritesIT.ok(syd.get(user, "/actuator/metrics/runway.datasource.replica.up"));

            JsonNode health = Instance.json(SpringReadYourWritesIT.ok(syd.get(user, "/actuator/health")));
            assertThat(health.get("status").asText()).isEqualTo("UP");
            assertThat(health.get("components").has("db")).as("Boot's primary-only db indicator is off").isFalse();
            JsonNode runway = health.get("components").get("runway");
            assertThat(runway.get("status").asText()).isEqualTo("UP");
            JsonNode d = runway.get("details");
            assertThat(d.get("region").asText()).isEqualTo("syd");
            assertThat(d.get("primary").get("status").asText()).isEqualTo("UP");
            assertThat(d.get("replica").get("status").asText()).isEqualTo("UP");
            assertThat(d.get("replica").get("routing").asText()).isEqualTo("UP");
            assertThat(d.get("replica").get("replayLagBytes").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(d.get("replica").has("replayLagMs")).isTrue();
            System.out.println("starter health: " + runway);
        }
    }

    private static Health health(RegionConfig.Builder config) {
        try (RunwayDataSource ds = RunwayDataSource.create(config.primaryConnectTimeout(Duration.ofMillis(500)).build())) {
            RunwayHealthIndicator indicator = new RunwayHealthIndicator(ds, Duration.ofSeconds(2));
            try {
                return indicator.health();
            } finally {
                indicator.destroy();
            }
        }
    }

    @Test
    void replicaDownKeepsTheInstanceUpAndSaysSo() {
        Health h = health(RegionConfig.builder().region("syd").primaryRegion("ams").primaryUrl(LAB.url()).replicaUrl(CLOSED));
        assertThat(h.getStatus()).as("reads fall back to the primary").isEqualTo(Status.UP);
        assertThat(detail(h, "replica").get("status")).isEqualTo("DOWN");
        assertThat(detail(h, "replica").get("error")).isNotNull();
        assertThat(detail(h, "primary").get("status")).isEqualTo("UP");
    }

    @Test
    void aReplicaUrlThatNamesThePrimaryIsNotAReplica() {
        Health h = health(RegionConfig.builder().region("syd").primaryRegion("ams").primaryUrl(LAB.url()).replicaUrl(LAB.url()));
        assertThat(detail(h, "replica").get("status")).isEqualTo("NOT_A_REPLICA");
        assertThat(h.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void primaryDownWithTheReplicaUpStillServesReads() {
        Health h = health(RegionConfig.builder().region("syd").primaryRegion("ams").primaryUrl(CLOSED)
                .replicaUrl(LAB.url(LAB.lab().node("replica1"))));
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(detail(h, "primary").get("status")).isEqualTo("DOWN");
        assertThat(detail(h, "replica").get("status")).isEqualTo("UP");
    }

    @Test
    void neitherDatabaseAnswersIsDown() {
        Health h = health(RegionConfig.builder().region("syd").primaryRegion("ams").primaryUrl(CLOSED)
                .replicaUrl("postgres://postgres@127.0.0.1:2/nowhere"));
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        Health primaryRegion = health(RegionConfig.builder().region("ams").primaryRegion("ams").primaryUrl(CLOSED));
        assertThat(primaryRegion.getStatus()).isEqualTo(Status.DOWN);
        assertThat(detail(primaryRegion, "replica").get("status")).isEqualTo("NONE");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health h, String key) {
        return (Map<String, Object>) h.getDetails().get(key);
    }
}
