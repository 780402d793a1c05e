package dev.runway.spring.boot.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.runway.datasource.RunwayDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives both of the data source's HikariCP pools HikariCP's own Micrometer tracker, as Spring Boot
 * does for a HikariCP {@code DataSource} bean: {@code hikaricp.connections.*} meters tagged
 * {@code pool=runway-primary} and {@code pool=runway-replica}. Spring Boot cannot find these pools
 * itself (they are inside the {@link RunwayDataSource}, not beans). A pool that already has a
 * tracker keeps it.
 */
public final class PoolMetricsBinder implements MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMetricsBinder.class);
    private final RunwayDataSource ds;

    public PoolMetricsBinder(RunwayDataSource ds) {
        this.ds = ds;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bind(ds.primaryPool(), registry);
        ds.replicaPool().ifPresent(p -> bind(p, registry));
    }

    private static void bind(HikariDataSource pool, MeterRegistry registry) {
        if (pool.getMetricRegistry() != null || pool.getMetricsTrackerFactory() != null) {
            return;
        }
        try {
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        } catch (RuntimeException e) {
            LOG.warn("runway: no hikaricp metrics for pool {}: {}", pool.getPoolName(), e.getMessage());
        }
    }
}
