package dev.runway.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TookTest {
    @Test
    void printsWhatStringFormatPrintedRoundedHalfUp() {
        assertThat(Output.took(Duration.ofNanos(812_400))).isEqualTo("812µs");
        assertThat(Output.took(Duration.ofNanos(1_000_000))).isEqualTo("1.0ms");
        assertThat(Output.took(Duration.ofNanos(3_449_999))).isEqualTo("3.4ms");
        assertThat(Output.took(Duration.ofNanos(3_450_000))).isEqualTo("3.5ms");
        assertThat(Output.took(Duration.ofNanos(999_949_999))).isEqualTo("999.9ms");
        assertThat(Output.took(Duration.ofNanos(999_950_000))).isEqualTo("1.00s");
        assertThat(Output.took(Duration.ofMillis(1_520))).isEqualTo("1.52s");
        assertThat(Output.took(Duration.ofMillis(1_005))).isEqualTo("1.01s");
        assertThat(Output.took(Duration.ofMillis(12_340))).isEqualTo("12.34s");
        assertThat(Output.took(Duration.ofSeconds(123))).isEqualTo("2m3s");
        for (long n = 1_000_000; n < 60_000_000_000L; n = n * 7 / 5 + 12_345) {
            String expected = n < 999_950_000 ? String.format(Locale.ROOT, "%.1fms", n / 1e6) : String.format(Locale.ROOT, "%.2fs", n / 1e9);
            assertThat(Output.took(Duration.ofNanos(n))).as("%d ns", n).isEqualTo(expected);
        }
    }
}
