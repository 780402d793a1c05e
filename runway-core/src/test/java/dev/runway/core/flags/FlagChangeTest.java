package dev.runway.core.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagChangeTest {
    @Test
    void partsParseStrictly() {
        assertThat(FlagChange.parsePercent("25")).isEqualTo(25);
        assertThat(FlagChange.parsePercent("100%")).isEqualTo(100);
        assertThat(FlagChange.parsePercent("0")).isZero();
        for (String bad : new String[] {"101", "-1", "12.5", "ten", "", "1e2"}) {
            assertThatThrownBy(() -> FlagChange.parsePercent(bad)).as(bad).isInstanceOf(RunwayException.class)
                    .hasMessageStartingWith("--percent: ");
        }
        assertThat(FlagChange.parseRegions("fra,ams")).containsExactly("ams", "fra");
        assertThat(FlagChange.parseRegions("all")).isEmpty();
        assertThat(FlagChange.parseRegions("us-east-1")).containsExactly("us-east-1");
        for (String bad : new String[] {"ams,,fra", "AMS", "ams fra", "ams;fra", "", "a", ",ams", "ams,"}) {
            assertThatThrownBy(() -> FlagChange.parseRegions(bad)).as(bad).hasMessageStartingWith("--regions: ");
        }
        assertThatThrownBy(() -> FlagChange.parseRegions("ams,ams")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> FlagChange.parseState("yes")).hasMessageContaining("write on or off");
        assertThatThrownBy(() -> new FlagChange(null, 150, null)).hasMessageContaining("outside 0-100");
    }

    @Test
    void namesAreLowerCaseIdentifiersOfAtMost63Characters() {
        assertThat(Flag.checkName("new_ui")).isEqualTo("new_ui");
        Flag.checkName("checkout.v2-beta");
        Flag.checkName("a" + "b".repeat(62));
        for (String bad : new String[] {"New_UI", "1st", "new ui", "", "a" + "b".repeat(63), "ü", "new_ui;drop"}) {
            assertThatThrownBy(() -> Flag.checkName(bad)).as(bad).hasMessageContaining("must be lower-case");
        }
    }

    @Test
    void onlyGivenPartsChangeAndANewFlagStartsFullyOn() {
        Flag created = new FlagChange(null, 10, null).applyTo("f", null, "me");
        assertThat(created.enabled()).isTrue();
        assertThat(created.percent()).isEqualTo(10);
        assertThat(created.regions()).isEmpty();
        Flag off = new FlagChange(false, null, null).applyTo("f", created, "me");
        assertThat(off.percent()).as("off keeps the rollout for the next on").isEqualTo(10);
        Flag on = new FlagChange(true, null, List.of("ams")).applyTo("f", off, "me");
        assertThat(on.describe()).isEqualTo("on for 10% in ams");
        assertThat(new FlagChange(null, null, null).isEmpty()).isTrue();
        assertThat(new FlagChange(true, 100, List.of()).applyTo("f", null, "me").describe()).isEqualTo("on");
        assertThat(off.describe()).isEqualTo("off");
    }
}
