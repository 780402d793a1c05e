package dev.runway.spring.boot.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads the variables Fly sets ({@code DATABASE_URL}, {@code FLY_REGION}, {@code PRIMARY_REGION}) as
 * the environment-variable form of {@code runway.database-url}, {@code runway.region} and
 * {@code runway.primary-region}: a property source placed right after the system environment, so
 * they rank like {@code RUNWAY_*} variables (above application.properties, below command-line
 * arguments and system properties). Also turns Spring Boot's {@code db} health indicator off by
 * default (lowest precedence; {@code management.health.db.enabled=true} brings it back): it checks
 * the primary only, so while the primary is away it would take every instance out of Fly's routing,
 * although reads from the replicas still work. The {@code runway} indicator replaces it.
 */
public final class FlyEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {
    /** Name of the property source holding Fly's variables. */
    public static final String SOURCE = "runwayFlyEnvironment";
    /** Name of the property source holding the starter's defaults. */
    public static final String DEFAULTS = "runwayDefaults";
    private static final Map<String, String> ALIASES = Map.of(
            "DATABASE_URL", "runway.database-url",
            "FLY_REGION", "runway.region",
            "PRIMARY_REGION", "runway.primary-region");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String sysName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        PropertySource<?> sys = environment.getPropertySources().get(sysName);
        if (sys != null) {
            Map<String, Object> aliased = new LinkedHashMap<>();
            ALIASES.forEach((variable, property) -> {
                Object v = sys.getProperty(variable);
                if (v != null && !v.toString().isBlank()) {
                    aliased.put(property, v);
                }
            });
            if (!aliased.isEmpty()) {
                environment.getPropertySources().addAfter(sysName, new MapPropertySource(SOURCE, aliased));
            }
        }
        if (!"false".equalsIgnoreCase(environment.getProperty("runway.datasource.enabled", "true").trim())) {
            environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS, Map.of("management.health.db.enabled", "false")));
        }
    }

    /** After Spring Boot has loaded application.properties, so that {@code runway.datasource.enabled} is known. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
