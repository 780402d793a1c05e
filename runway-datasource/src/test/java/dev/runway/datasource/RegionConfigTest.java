package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration from Fly's environment, and every bad input naming its variable. */
class RegionConfigTest {
    private static final String URL = "postgres://app:s3cret@my-db.internal:5432/app?sslmode=disable";

    private static RegionConfig.Builder env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return RegionConfig.fromEnvironment(m::get);
    }

    @Test
    void outsideThePrimaryRegionTheReplicaIsTheNearestInstanceOnPort5433() {
        RegionConfig c = env("DATABASE_URL", URL, "FLY_REGION", "syd", "PRIMARY_REGION", "ord").build();
        assertThat(c.inPrimaryRegion()).isFalse();
        assertThat(c.replicaUrl().host()).isEqualTo("top1.nearest.of.my-db.internal");
        assertThat(c.replicaUrl().port()).isEqualTo(5433);
        assertThat(c.replicaUrl().database()).isEqualTo("app");
        assertThat(c.replicaUrl().params()).containsEntry("sslmode", "disable");
        assertThat(c.primaryUrl().port()).isEqualTo(5432);
    }

    @Test
    void inThePrimaryRegionOrWithNoRegionEverythingGoesToThePrimary() {
        assertThat(env("DATABASE_URL", URL, "FLY_REGION", "ord", "PRIMARY_REGION", "ord").build().hasReplica()).isFalse();
        assertThat(env("DATABASE_URL", URL).build().hasReplica()).isFalse();
        assertThat(env("DATABASE_URL", URL).build().inPrimaryRegion()).isTrue();
    }

    @Test
    void flyHostRewritesKeepFlycastAndNearestHosts() {
        assertThat(RegionConfig.flyReplicaUrl(dev.runway.core.DatabaseUrl.parse("postgres://u@top2.nearest.of.db.internal/x", "t")).host())
                .isEqualTo("top1.nearest.of.db.internal");
        assertThat(RegionConfig.flyReplicaUrl(dev.runway.core.DatabaseUrl.parse("postgres://u@db.flycast:5432/x", "t")).host())
                .isEqualTo("db.flycast");
        assertThat(RegionConfig.flyReplicaUrl(dev.runway.core.DatabaseUrl.parse("postgres://u@top1.nearest.of.db.internal/x", "t")).host())
                .isEqualTo("top1.nearest.of.db.internal");
    }

    @Test
    void explicitReplicaUrlWins() {
        RegionConfig c = env("DATABASE_URL", URL, "FLY_REGION", "syd", "PRIMARY_REGION", "ord",
                "RUNWAY_REPLICA_URL", "postgres://app:s3cret@syd.replica:6543/app").build();
        assertThat(c.replicaUrl().host()).isEqualTo("syd.replica");
        assertThat(env("DATABASE_URL", URL, "FLY_REGION", "syd", "PRIMARY_REGION", "ord").replicaUrl((String) null).build().hasReplica())
                .isFalse();
    }

    @Test
    void flyRegionWithoutPrimaryRegionIsAUsageError() {
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "FLY_REGION", "syd").build())
                .isInstanceOf(RunwayException.class)
                .hasMessageContaining("PRIMARY_REGION").hasMessageContaining("FLY_REGION=syd")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void malformedOrMissingUrlNamesTheVariableAndNeverThePassword() {
        assertThatThrownBy(() -> env("DATABASE_URL", "mysql://app:s3cret@h/db").build())
                .isInstanceOf(RunwayException.class).hasMessageContaining("DATABASE_URL").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> env("DATABASE_URL", "postgres://app:s3cret@h:99999/db").build())
                .hasMessageContaining("DATABASE_URL").hasMessageContaining("99999").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> env().build()).hasMessageContaining("DATABASE_URL is not set");
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_REPLICA_URL", "nope").build())
                .hasMessageContaining("RUNWAY_REPLICA_URL");
    }

    @Test
    void otherSettingsAreValidated() {
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_WAIT_TIMEOUT", "soon").build())
                .hasMessageContaining("RUNWAY_WAIT_TIMEOUT");
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_TIMEOUT_POLICY", "pray").build())
                .hasMessageContaining("RUNWAY_TIMEOUT_POLICY");
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_TOKEN_SECRET", "short").build())
                .hasMessageContaining("RUNWAY_TOKEN_SECRET").hasMessageContaining("32");
        assertThatThrownBy(() -> env("DATABASE_URL", URL).pollIntervals(Duration.ofMillis(5), Duration.ofMillis(1)).build())
                .hasMessageContaining("maxPollInterval");
        RegionConfig c = env("DATABASE_URL", URL, "RUNWAY_WAIT_TIMEOUT", "750ms", "RUNWAY_TIMEOUT_POLICY", "throw").build();
        assertThat(c.waitTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.timeoutPolicy()).isEqualTo(TimeoutPolicy.THROW);
    }

    @Test
    void lagCheckIntervalDefaultsTo5sAnd0TurnsItOff() {
        assertThat(env("DATABASE_URL", URL).build().lagCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(env("DATABASE_URL", URL, "RUNWAY_LAG_CHECK_INTERVAL", "750ms").build().lagCheckInterval())
                .isEqualTo(Duration.ofMillis(750));
        assertThat(env("DATABASE_URL", URL, "RUNWAY_LAG_CHECK_INTERVAL", "0").build().lagCheckInterval()).isZero();
        assertThat(env("DATABASE_URL", URL, "RUNWAY_MAX_LAG", "800ms").build().maxLag()).isEqualTo(Duration.ofMillis(800));
        assertThat(env("DATABASE_URL", URL, "RUNWAY_WAIT_TIMEOUT", "3s").build().maxLag()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_MAX_LAG", "a while").build()).hasMessageContaining("RUNWAY_MAX_LAG");
        assertThat(env("DATABASE_URL", URL, "RUNWAY_LAG_CHECK_INTERVAL", "0s").build().lagCheckInterval()).isZero();
        assertThat(env("DATABASE_URL", URL, "RUNWAY_LAG_CHECK_INTERVAL", "1s").lagCheckInterval(Duration.ZERO).build()
                .lagCheckInterval()).as("the builder wins").isZero();
        assertThatThrownBy(() -> env("DATABASE_URL", URL, "RUNWAY_LAG_CHECK_INTERVAL", "often").build())
                .isInstanceOf(RunwayException.class)
                .hasMessageContaining("RUNWAY_LAG_CHECK_INTERVAL").hasMessageContaining("'often'").hasMessageContaining("0 turns")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
        assertThatThrownBy(() -> env("DATABASE_URL", URL).lagCheckInterval(Duration.ofSeconds(-1)).build())
                .isInstanceOf(RunwayException.class)
                .hasMessageContaining("lagCheckInterval (RUNWAY_LAG_CHECK_INTERVAL)").hasMessageContaining("PT-1S");
    }

    @Test
    void toStringMasksSecrets() {
        RegionConfig c = env("DATABASE_URL", URL, "RUNWAY_TOKEN_SECRET", "x".repeat(40)).build();
        assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("xxxx").contains("tokens=true");
    }

    @Test
    void theSecretIsCopiedInAndNeverHandedOutLive() {
        byte[] given = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] original = given.clone();
        RegionConfig.Builder b = env("DATABASE_URL", URL).tokenSecret(given);
        given[0] = 'X'; // after the builder call
        RegionConfig c = b.build();
        assertThat(c.hasTokenSecret()).isTrue();
        assertThat(c.tokenSecret()).isEqualTo(original);
        c.tokenSecret()[1] = 'Y'; // a caller changing what it got
        assertThat(c.tokenSecret()).isEqualTo(original).isNotSameAs(c.tokenSecret());
        assertThat(env("DATABASE_URL", URL).build().hasTokenSecret()).isFalse();
        assertThat(env("DATABASE_URL", URL).build().tokenSecret()).isNull();
    }

    @Test
    void theOnlyWayInIsTheValidatingBuilder() {
        assertThat(java.lang.reflect.Modifier.isFinal(RegionConfig.class.getModifiers())).isTrue();
        assertThat(RegionConfig.class.getConstructors()).as("no public constructor that skips build()'s checks").isEmpty();
        assertThatThrownBy(() -> env("DATABASE_URL", URL).tokenSecret(new byte[31]).build())
                .isInstanceOf(RunwayException.class).hasMessageContaining("31 bytes");
    }
}
