package dev.runway.datasource.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The counters appear as Micrometer meters (no database needed: the pools connect lazily). */
class RunwayMeterBinderTest {
    @Test
    void bindsEveryCounter() {
        try (RunwayDataSource ds = RunwayDataSource.create(RegionConfig.builder().primaryUrl("postgres://u@127.0.0.1:1/db")
                .replicaUrl("postgres://u@127.0.0.1:2/db").build())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RunwayMeterBinder(ds).bindTo(registry);
            assertThat(registry.get("runway.datasource.reads").tag("route", "replica").functionCounter().count()).isZero();
            assertThat(registry.get("runway.datasource.reads").tag("route", "primary").functionCounter().count()).isZero();
            for (String name : new String[] {"writes", "waits", "wait.timeouts", "fallbacks", "replica.polls", "lag.checks",
                "lag.checks.lagging"}) {
                assertThat(registry.get("runway.datasource." + name).functionCounter().count()).as(name).isZero();
            }
            assertThat(registry.get("runway.datasource.tokens").tag("result", "ignored").functionCounter().count()).isZero();
            assertThat(registry.get("runway.datasource.replica.up").gauge().value()).isEqualTo(1.0);
        }
    }
}
