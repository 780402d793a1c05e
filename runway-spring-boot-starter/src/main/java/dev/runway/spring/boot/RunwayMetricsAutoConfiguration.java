package dev.runway.spring.boot;

import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.micrometer.RunwayMeterBinder;
import dev.runway.spring.boot.internal.PoolMetricsBinder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer present, the data source's counters as {@code runway.datasource.*} meters and
 * both HikariCP pools as {@code hikaricp.*} meters ({@code pool=runway-primary},
 * {@code pool=runway-replica}). Spring Boot binds every {@link MeterBinder} bean to its registry.
 */
@AutoConfiguration(after = RunwayDataSourceAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(RunwayDataSource.class)
public class RunwayMetricsAutoConfiguration {
    @Bean
    RunwayMeterBinder runwayMeterBinder(RunwayDataSource ds) {
        return new RunwayMeterBinder(ds);
    }

    @Bean
    PoolMetricsBinder runwayPoolMetrics(RunwayDataSource ds) {
        return new PoolMetricsBinder(ds);
    }
}
