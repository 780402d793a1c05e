package dev.runway.datasource.micrometer;

import dev.runway.datasource.DataSourceMetrics;
import dev.runway.datasource.RunwayDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * Exposes {@link RunwayDataSource#metrics()} to Micrometer as {@code runway.datasource.*} counters
 * and a {@code runway.datasource.replica.up} gauge. Micrometer is an optional dependency: this
 * class is the only one that needs it. Spring Boot binds any {@link MeterBinder} bean by itself.
 */
public final class RunwayMeterBinder implements MeterBinder {
    private final RunwayDataSource ds;

    public RunwayMeterBinder(RunwayDataSource ds) {
        this.ds = ds;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "runway.datasource.reads", "route", "replica", m -> m.readsReplica());
        counter(registry, "runway.datasource.reads", "route", "primary", m -> m.readsPrimary());
        counter(registry, "runway.datasource.writes", null, null, m -> m.writes());
        counter(registry, "runway.datasource.waits", null, null, m -> m.waits());
        counter(registry, "runway.datasource.wait.timeouts", null, null, m -> m.waitTimeouts());
        counter(registry, "runway.datasource.fallbacks", null, null, m -> m.fallbacks());
        counter(registry, "runway.datasource.replica.polls", null, null, m -> m.replicaPolls());
        counter(registry, "runway.datasource.lag.checks", null, null, m -> m.lagChecks());
        counter(registry, "runway.datasource.lag.checks.lagging", null, null, m -> m.lagChecksLagging());
        counter(registry, "runway.datasource.tokens", "result", "accepted", m -> m.tokensAccepted());
        counter(registry, "runway.datasource.tokens", "result", "ignored", m -> m.tokensIgnored());
        Gauge.builder("runway.datasource.replica.up", ds, d -> "UP".equals(d.metrics().replicaState()) ? 1 : 0)
                .description("1 while reads go to the local replica").register(registry);
    }

    private void counter(MeterRegistry r, String name, String tag, String value, ToDoubleFunction<DataSourceMetrics> f) {
        FunctionCounter.Builder<RunwayDataSource> b = FunctionCounter.builder(name, ds, d -> f.applyAsDouble(d.metrics()));
        if (tag != null) {
            b.tag(tag, value);
        }
        b.register(r);
    }
}
