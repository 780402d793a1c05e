package dev.runway.spring.boot;

import dev.runway.datasource.RunwayDataSource;
import dev.runway.spring.boot.internal.RunwayHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Boot Actuator present, the {@code runway} health component: primary, replica, replay
 * lag; UP while the instance can serve reads (see {@link RunwayHealthIndicator}). The starter turns
 * Boot's {@code db} indicator off by default (it asks the primary only);
 * {@code management.health.runway.enabled=false} turns this one off.
 */
@AutoConfiguration(after = RunwayDataSourceAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(RunwayDataSource.class)
@ConditionalOnEnabledHealthIndicator("runway")
public class RunwayHealthAutoConfiguration {
    @Bean
    RunwayHealthIndicator runwayHealthIndicator(RunwayDataSource ds, RunwayProperties properties) {
        return new RunwayHealthIndicator(ds, properties.getHealth().getTimeout());
    }
}
