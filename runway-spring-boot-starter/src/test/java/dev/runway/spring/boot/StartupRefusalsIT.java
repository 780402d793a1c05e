package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.spring.boot.apps.jdbc.JdbcApp;
import dev.runway.spring.boot.apps.jpa.JpaApp;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

/**
 * The configurations that silently defeat the data source are refused at start-up with one clear
 * message (Spring Boot's failure report, no stack trace), and the premise of each refusal holds:
 * without the Hibernate check, that connection handling really sends read-only transactions to the
 * primary and lets a write inside one commit.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalsIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).delay("replica1", Duration.ofMillis(40));
    private static final String AFTER_TRANSACTION = "DELAYED_ACQUISITION_AND_RELEASE_AFTER_TRANSACTION";

    @BeforeAll
    static void schema() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kv (id int PRIMARY KEY, v bigint NOT NULL)");
            st.execute("INSERT INTO kv SELECT g, 0 FROM generate_series(0, 9) g");
            st.execute("CREATE TABLE counters (id int PRIMARY KEY, v bigint NOT NULL)");
            st.execute("INSERT INTO counters SELECT g, 0 FROM generate_series(0, 9) g");
        }
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    private static Map<String, Object> without(Map<String, Object> props, String key) {
        props.remove(key);
        return props;
    }

    @Test
    void consistencyFilterWithoutSecretOutsideThePrimaryRegion(CapturedOutput output) {
        Map<String, Object> props = without(Instance.region(LAB, "syd", "replica1"), "runway.token-secret");
        assertThatThrownBy(() -> Instance.start(JdbcApp.class, props).close())
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).isInstanceOf(RunwayException.class)
                        .hasMessageContaining("the consistency filter needs RUNWAY_TOKEN_SECRET")
                        .hasMessageContaining("FLY_REGION=syd, PRIMARY_REGION=ams")
                        .hasMessageContaining("runway.consistency-filter.enabled=false"));
        assertFailureReport(output, "runway: the consistency filter needs RUNWAY_TOKEN_SECRET");
    }

    @Test
    void withoutSecretTheFilterIsAcceptedInThePrimaryRegionOrWhenTurnedOff() {
        try (Instance ams = Instance.start(JdbcApp.class, without(Instance.region(LAB, "ams", null), "runway.token-secret"))) {
            assertThat(ams.ctx.containsBean("runwayConsistencyFilter")).isTrue();
        }
        Map<String, Object> off = without(Instance.region(LAB, "syd", "replica1"), "runway.token-secret");
        off.put("runway.consistency-filter.enabled", "false");
        try (Instance syd = Instance.start(JdbcApp.class, off)) {
            assertThat(syd.ctx.containsBean("runwayConsistencyFilter")).isFalse();
            assertThat(syd.ctx.containsBean("runwayFlyReplayFilter")).isTrue();
        }
    }

    @Test
    void hibernateConnectionHandlingThatSkipsSetReadOnly(CapturedOutput output) {
        Map<String, Object> props = Instance.region(LAB, "syd", "replica1");
        props.put("spring.jpa.properties.hibernate.connection.handling_mode", AFTER_TRANSACTION);
        assertThatThrownBy(() -> Instance.start(JpaApp.class, props).close())
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).isInstanceOf(RunwayException.class)
                        .hasMessageContaining("Hibernate's connection handling mode " + AFTER_TRANSACTION)
                        .hasMessageContaining("DELAYED_ACQUISITION_AND_HOLD"));
        assertFailureReport(output, "runway: Hibernate's connection handling mode " + AFTER_TRANSACTION);
    }

    /** Why the check exists: the same application with the check excluded. */
    @Test
    void withoutTheCheckThatModeReadsFromThePrimaryAndCommitsWritesInReadOnlyTransactions() throws Exception {
        Map<String, Object> props = Instance.region(LAB, "syd", "replica1");
        props.put("spring.jpa.properties.hibernate.connection.handling_mode", AFTER_TRANSACTION);
        props.put("spring.autoconfigure.exclude", RunwayJpaAutoConfiguration.class.getName());
        try (Instance syd = Instance.start(JpaApp.class, props)) {
            HttpClient user = Instance.user();
            assertThat(Instance.json(SpringReadYourWritesIT.ok(syd.get(user, "/counters/1"))).get("on_replica").asBoolean())
                    .as("a @Transactional(readOnly = true) method").isFalse();
            assertThat(syd.post(user, "/counters/900/read-only?v=1").statusCode()).as("save() in a read-only transaction").isEqualTo(200);
        }
        try (Connection c = LAB.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM counters WHERE id = 900")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the write inside the read-only transaction committed").isEqualTo(1);
        }
    }

    @Test
    void springsDefaultHandlingIsAccepted() {
        Map<String, Object> props = Instance.region(LAB, "syd", "replica1");
        props.put("spring.jpa.properties.hibernate.connection.handling_mode", "DELAYED_ACQUISITION_AND_HOLD");
        try (Instance syd = Instance.start(JpaApp.class, props)) {
            assertThat(Instance.json(SpringReadYourWritesIT.ok(syd.get(Instance.user(), "/counters/1"))).get("on_replica").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void missingDatabaseUrl(CapturedOutput output) {
        Map<String, Object> props = without(Instance.region(LAB, "syd", "replica1"), "runway.database-url");
        assertThatThrownBy(() -> Instance.start(JdbcApp.class, props).close())
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).isInstanceOf(RunwayException.class)
                        .hasMessageContaining("DATABASE_URL (runway.database-url) is not set"));
        assertFailureReport(output, "runway: DATABASE_URL (runway.database-url) is not set");
    }

    /** Spring Boot's report: the message on one line, no stack trace. */
    private static void assertFailureReport(CapturedOutput output, String line) {
        String out = output.getAll();
        assertThat(out).contains("APPLICATION FAILED TO START");
        assertThat(out.lines().filter(l -> l.startsWith(line)).count()).as("one line starting with '%s'", line).isEqualTo(1);
        assertThat(out).doesNotContain("Application run failed").doesNotContain("\tat dev.runway");
    }
}
