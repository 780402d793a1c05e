package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunwayConfigNameTest {
    @Test
    void aPlainIdentifierIsWhatTheRegularExpressionAccepted() {
        List<String> names = List.of("runway_history", "public", "_x", "x$", "a1", "A", "_", "1a", "$a", "a-b", "a b", "", "a.b",
                "ä", "aä", "a\n", "x".repeat(63), "x".repeat(64), "Runway$History_2", "a$1");
        for (String n : names) {
            assertThat(RunwayConfig.Builder.plainIdentifier(n)).as("'%s'", n)
                    .isEqualTo(n.matches("[A-Za-z_][A-Za-z0-9_$]{0,62}"));
        }
        assertThat(RunwayConfig.Builder.plainIdentifier(null)).isFalse();
    }
}
