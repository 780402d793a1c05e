package dev.runway.datasource.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.flags.Flag;
import dev.runway.core.flags.Rollout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one instance evaluates a snapshot (the same code the live flags use, via {@link FeatureFlags#fixed}). */
class FeatureFlagsTest {
    static Flag flag(String name, boolean on, int percent, String... regions) {
        return new Flag(name, on, percent, List.of(regions), "test", null);
    }

    @Test
    void evaluation() {
        List<Flag> flags = List.of(flag("all", true, 100), flag("none", true, 0), flag("off", false, 100), flag("half", true, 50),
                flag("ams_only", true, 100, "ams", "fra"));
        FeatureFlags ams = FeatureFlags.fixed(flags, "ams");
        FeatureFlags syd = FeatureFlags.fixed(flags, "syd");
        FeatureFlags nowhere = FeatureFlags.fixed(flags, null);
        assertThat(ams.enabled("all")).isTrue();
        assertThat(ams.enabled("all", "u1")).isTrue();
        assertThat(ams.enabled("all", 1L)).isTrue();
        assertThat(ams.enabled("none", "u1")).isFalse();
        assertThat(ams.enabled("off")).isFalse();
        assertThat(ams.enabled("off", "u1")).isFalse();
        assertThat(ams.enabled("half")).as("no subject: only at 100%").isFalse();
        assertThat(ams.enabled("unknown")).isFalse();
        assertThat(ams.enabled("unknown", 7L)).isFalse();
        assertThat(ams.enabled("ams_only")).isTrue();
        assertThat(syd.enabled("ams_only")).isFalse();
        assertThat(syd.enabled("ams_only", "u1")).isFalse();
        assertThat(nowhere.enabled("ams_only")).isFalse();
        assertThat(nowhere.enabled("all")).isTrue();
        long seed = Rollout.seed("half");
        for (int i = 0; i < 1000; i++) {
            boolean expected = Rollout.bucket(seed, "user-" + i) < 50;
            assertThat(ams.enabled("half", "user-" + i)).isEqualTo(expected);
            assertThat(syd.enabled("half", "user-" + i)).isEqualTo(expected);
            assertThat(ams.enabled("half", i)).isEqualTo(ams.enabled("half", Integer.toString(i)));
        }
        assertThat(ams.flags()).hasSize(5);
        assertThat(ams.flag("half")).map(Flag::percent).contains(50);
        assertThat(ams.ready()).isTrue();
    }
}
