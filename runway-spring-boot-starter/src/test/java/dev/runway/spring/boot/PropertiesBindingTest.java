package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.TimeoutPolicy;
import dev.runway.spring.boot.apps.plain.PlainApp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Where each setting comes from, in a real SpringApplication with an injected process environment
 * (no database needed: the pools connect lazily): command line > environment variables (Runway's
 * and Fly's) > application.properties > RegionConfig's defaults.
 */
class PropertiesBindingTest {
    private static RegionConfig run(Map<String, Object> env, String... args) {
        try (ConfigurableApplicationContext ctx = start(env, args)) {
            return ((RunwayDataSource) ctx.getBean(DataSource.class)).config();
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> env, String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        SpringApplication app = new SpringApplication(PlainApp.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setEnvironment(environment);
        List<String> all = new ArrayList<>(List.of("--spring.config.location=classpath:precedence/application.properties",
                "--spring.main.banner-mode=off"));
        all.addAll(List.of(args));
        return app.run(all.toArray(String[]::new));
    }

    @Test
    void applicationPropertiesAloneConfigureIt() {
        RegionConfig c = run(Map.of());
        assertThat(c.primaryUrl().user()).isEqualTo("from-file");
        assertThat(c.waitTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.maxLag()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.replicaPoolSize()).isEqualTo(4);
        assertThat(c.primaryPoolSize()).as("RegionConfig's default").isEqualTo(10);
        assertThat(c.timeoutPolicy()).isEqualTo(TimeoutPolicy.READ_PRIMARY);
        assertThat(c.hasReplica()).isFalse();
    }

    @Test
    void environmentVariablesBeatApplicationProperties() {
        RegionConfig c = run(Map.of(
                "DATABASE_URL", "postgres://from-fly@127.0.0.1:2/db",
                "RUNWAY_WAIT_TIMEOUT", "3s",
                "RUNWAY_TIMEOUT_POLICY", "throw",
                "RUNWAY_LAG_CHECK_INTERVAL", "0",
                "RUNWAY_POOL_PRIMARY_SIZE", "3",
                "RUNWAY_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(c.primaryUrl().user()).as("Fly's DATABASE_URL over application.properties").isEqualTo("from-fly");
        assertThat(c.waitTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.maxLag()).as("only in application.properties").isEqualTo(Duration.ofSeconds(4));
        assertThat(c.timeoutPolicy()).isEqualTo(TimeoutPolicy.THROW);
        assertThat(c.lagCheckInterval()).isEqualTo(Duration.ZERO);
        assertThat(c.primaryPoolSize()).isEqualTo(3);
        assertThat(c.tokenSecret()).isEqualTo("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commandLineBeatsTheEnvironmentAndRunwaysVariableBeatsFlys() {
        RegionConfig c = run(Map.of("DATABASE_URL", "postgres://from-fly@127.0.0.1:2/db",
                        "RUNWAY_DATABASE_URL", "postgres://from-runway-var@127.0.0.1:3/db", "RUNWAY_WAIT_TIMEOUT", "3s"),
                "--runway.wait-timeout=9s");
        assertThat(c.waitTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.primaryUrl().user()).isEqualTo("from-runway-var");
    }

    @Test
    void flysEnvironmentAloneGivesARegionAwareDataSource() {
        RegionConfig c = run(Map.of("DATABASE_URL", "postgres://app:secret@my-db.flycast:5432/app?sslmode=disable",
                "FLY_REGION", "syd", "PRIMARY_REGION", "ams", "RUNWAY_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(c.region()).isEqualTo("syd");
        assertThat(c.primaryRegion()).isEqualTo("ams");
        assertThat(c.replicaUrl().host()).isEqualTo("my-db.flycast");
        assertThat(c.replicaUrl().port()).isEqualTo(RegionConfig.FLY_REPLICA_PORT);
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void bootsDbHealthIndicatorIsOffUnlessAsked() {
        try (ConfigurableApplicationContext ctx = start(Map.of())) {
            assertThat(ctx.getEnvironment().getProperty("management.health.db.enabled")).isEqualTo("false");
        }
        try (ConfigurableApplicationContext ctx = start(Map.of(), "--management.health.db.enabled=true")) {
            assertThat(ctx.getEnvironment().getProperty("management.health.db.enabled")).isEqualTo("true");
        }
        try (ConfigurableApplicationContext ctx = start(Map.of(), "--runway.datasource.enabled=false",
                "--spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")) {
            assertThat(ctx.getEnvironment().getProperty("management.health.db.enabled")).isNull();
            assertThat(ctx.getBeanNamesForType(DataSource.class)).isEmpty();
        }
    }
}
