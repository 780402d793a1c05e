package dev.runway.datasource.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.flags.FlagChange;
import dev.runway.core.flags.FlagTable;
import dev.runway.datasource.Its;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Feature flags on three instances (primary region "ord", "ams" on the near replica, "syd" on the
 * replica 40 ms behind), changed through {@link FlagTable} exactly as {@code runway flags set} does.
 * The periodic refresh is an hour here, so only the bus can deliver a change: a reload that ran before
 * the replica showed the change would keep the old snapshot and fail these tests.
 */
class FeatureFlagsIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    static final FlagTable TABLE = new FlagTable("public", FlagTable.DEFAULT_TABLE);

    /** Three instances and their flags. */
    static final class Cluster implements AutoCloseable {
        final RunwayDataSource ord = RunwayDataSource.create(Its.config(LAB, null).region("ord").build());
        final RunwayDataSource ams = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).region("ams").build());
        final RunwayDataSource syd = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica2")).region("syd").build());
        final List<FeatureFlags> all;

        Cluster() throws InterruptedException {
            all = List.of(flags(ord), flags(ams), flags(syd));
            for (FeatureFlags f : all) {
                waitFor(f::ready, "ready");
            }
        }

        private static FeatureFlags flags(RunwayDataSource ds) {
            return FeatureFlags.builder(ds).refreshInterval(Duration.ofHours(1)).start();
        }

        @Override
        public void close() {
            all.forEach(FeatureFlags::close);
            ord.close();
            ams.close();
            syd.close();
        }
    }

    static void set(String name, FlagChange change) throws Exception {
        try (Connection c = LAB.connect()) {
            TABLE.set(c, name, change, true, "FeatureFlagsIT");
        }
    }

    static void waitFor(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(cond.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void changesReachEveryInstanceThroughTheBus() throws Exception {
        try (Cluster cl = new Cluster()) {
            assertThat(cl.all).allSatisfy(f -> assertThat(f.enabled("bus_flag")).isFalse());
            for (int round = 0; round < 5; round++) {
                boolean on = round % 2 == 0;
                set("bus_flag", new FlagChange(on, 100, List.of()));
                for (FeatureFlags f : cl.all) {
                    waitFor(() -> f.enabled("bus_flag") == on, f.region() + " sees bus_flag " + (on ? "on" : "off"));
                }
            }
            try (Connection c = LAB.connect()) {
                TABLE.remove(c, "bus_flag");
            }
            for (FeatureFlags f : cl.all) {
                waitFor(() -> f.flag("bus_flag").isEmpty(), f.region() + " sees bus_flag removed");
                assertThat(f.enabled("bus_flag")).isFalse();
            }
        }
    }

    @Test
    void aPercentageRolloutHoldsItsShareAndEachSubjectIsStableAcrossInstances() throws Exception {
        int subjects = 100_000;
        try (Cluster cl = new Cluster()) {
            for (int p : new int[] {10, 37, 90}) {
                set("rollout", new FlagChange(true, p, List.of()));
                for (FeatureFlags f : cl.all) {
                    waitFor(() -> f.flag("rollout").map(x -> x.percent() == p).orElse(false), f.region() + " sees " + p + "%");
                }
                int on = 0;
                int disagree = 0;
                for (int i = 0; i < subjects; i++) {
                    String s = "user-" + i;
                    boolean a = cl.all.get(0).enabled("rollout", s);
                    on += a ? 1 : 0;
                    if (cl.all.get(1).enabled("rollout", s) != a || cl.all.get(2).enabled("rollout", s) != a
                            || cl.all.get(2).enabled("rollout", (long) i) != cl.all.get(2).enabled("rollout", Long.toString(i))) {
                        disagree++;
                    }
                }
                double share = 100.0 * on / subjects;
                System.out.printf("FeatureFlagsIT: rollout at %d%%: %.2f%% of %d subjects on, %d disagreements across instances%n", p,
                        share, subjects, disagree);
                assertThat(share).isBetween(p - 1.0, p + 1.0);
                assertThat(disagree).isZero();
                assertThat(cl.all).allSatisfy(f -> assertThat(f.enabled("rollout")).as("no subject: only at 100%").isFalse());
            }
            // raising the percentage keeps everyone who was in
            set("rollout", new FlagChange(true, 20, List.of()));
            waitFor(() -> cl.all.get(2).flag("rollout").map(x -> x.percent() == 20).orElse(false), "20%");
            boolean[] at20 = new boolean[1000];
            for (int i = 0; i < at20.length; i++) {
                at20[i] = cl.all.get(2).enabled("rollout", i);
            }
            set("rollout", new FlagChange(true, 30, List.of()));
            waitFor(() -> cl.all.get(2).flag("rollout").map(x -> x.percent() == 30).orElse(false), "30%");
            for (int i = 0; i < at20.length; i++) {
                if (at20[i]) {
                    assertThat(cl.all.get(2).enabled("rollout", i)).as("subject %d stays in", i).isTrue();
                }
            }
        }
    }

    @Test
    void regionsTargetInstancesByFlyRegionAndOffIsAKillSwitch() throws Exception {
        try (Cluster cl = new Cluster();
                FeatureFlags noRegion = FeatureFlags.builder(cl.ord).region(null).refreshInterval(Duration.ofHours(1)).start()) {
            set("regional", new FlagChange(true, 100, List.of("ams", "syd")));
            waitFor(() -> cl.all.get(2).enabled("regional"), "syd on");
            waitFor(() -> cl.all.get(1).enabled("regional"), "ams on");
            waitFor(() -> cl.all.get(0).flag("regional").isPresent(), "ord loaded");
            waitFor(() -> noRegion.flag("regional").isPresent(), "no-region instance loaded");
            assertThat(cl.all.get(0).enabled("regional")).as("ord is not targeted").isFalse();
            assertThat(noRegion.enabled("regional", "anyone")).as("an instance without FLY_REGION").isFalse();
            set("regional", new FlagChange(false, null, null));
            waitFor(() -> !cl.all.get(2).enabled("regional") && !cl.all.get(1).enabled("regional"), "off everywhere");
            set("regional", new FlagChange(true, null, null));
            waitFor(() -> cl.all.get(2).enabled("regional"), "on again, regions kept");
            assertThat(cl.all.get(0).enabled("regional")).isFalse();
            assertThat(cl.all.get(0).enabled("no_such_flag", "u1")).isFalse();
        }
    }

    @Test
    void badSettingsAreRefused() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, null).region("ord").build())) {
            assertThatThrownBy(() -> FeatureFlags.builder(ds).fromEnvironment(k -> k.equals(FeatureFlags.REFRESH_ENV) ? "soon" : null))
                    .hasMessageContaining("RUNWAY_FLAGS_REFRESH: 'soon' is not a duration");
            assertThatThrownBy(() -> FeatureFlags.builder(ds).table("Flags").start()).hasMessageContaining("lower-case SQL identifier");
            assertThatThrownBy(() -> FeatureFlags.builder(ds).refreshInterval(Duration.ZERO).start()).hasMessageContaining("positive");
        }
    }
}
