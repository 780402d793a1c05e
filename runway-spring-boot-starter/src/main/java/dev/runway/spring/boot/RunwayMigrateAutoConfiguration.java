package dev.runway.spring.boot;

import dev.runway.spring.boot.internal.StartupMigrations;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@code runway.migrate-on-startup=true} (off by default): pending migrations from
 * {@code runway.migrations.dir} are applied when the {@code RunwayDataSource} is created, before
 * anything uses it. For local development; in production the release command migrates.
 */
@AutoConfiguration(after = RunwayDataSourceAutoConfiguration.class)
@ConditionalOnProperty(prefix = "runway", name = "migrate-on-startup", havingValue = "true")
public class RunwayMigrateAutoConfiguration {
    @Bean
    static StartupMigrations runwayStartupMigrations(Environment env) {
        return new StartupMigrations(env);
    }
}
