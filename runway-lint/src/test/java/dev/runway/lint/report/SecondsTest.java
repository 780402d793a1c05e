package dev.runway.lint.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The summary's time prints exactly what {@code String.format("%.2fs")} printed, for every millisecond count tried. */
class SecondsTest {
    @Test
    void twoDecimalsRoundedHalfUpAsTheFormatterDid() {
        for (long ms = 0; ms < 1_000_000; ms++) {
            assertFormatted(ms);
        }
        for (long ms : new long[] {9_999_995L, 86_400_000L, 123_456_789_005L, Integer.MAX_VALUE, 1L << 40}) {
            assertFormatted(ms);
        }
        assertThat(Reports.seconds(0)).isEqualTo("0.00s");
        assertThat(Reports.seconds(1005)).isEqualTo("1.01s");
        assertThat(Reports.seconds(59_994)).isEqualTo("59.99s");
    }

    private static void assertFormatted(long ms) {
        String expected = String.format(Locale.ROOT, "%.2fs", ms / 1000.0);
        String actual = Reports.seconds(ms);
        if (!actual.equals(expected)) {
            assertThat(actual).as("%d ms", ms).isEqualTo(expected);
        }
    }
}
