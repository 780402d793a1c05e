package dev.runway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
    @Test
    void parsesWhatPeopleWrite() {
        assertThat(ByteSizes.parse("10MB", "k")).isEqualTo(10L * 1024 * 1024);
        assertThat(ByteSizes.parse(" 10 mb ", "k")).isEqualTo(10L * 1024 * 1024);
        assertThat(ByteSizes.parse("512kB", "k")).isEqualTo(512L * 1024);
        assertThat(ByteSizes.parse("1.5GB", "k")).isEqualTo(1536L * 1024 * 1024);
        assertThat(ByteSizes.parse("2TB", "k")).isEqualTo(2L << 40);
        assertThat(ByteSizes.parse("0", "k")).isZero();
        assertThat(ByteSizes.parse("123", "k")).isEqualTo(123);
        assertThat(ByteSizes.parse("123B", "k")).isEqualTo(123);
    }

    @Test
    void refusesWhatIsNotASizeNamingWhereItCameFrom() {
        for (String bad : new String[] {"ten", "-1MB", "10 MiB", "MB", "", "1e3"}) {
            assertThatThrownBy(() -> ByteSizes.parse(bad, "RUNWAY_GATE_SMALL_TABLE")).isInstanceOf(RunwayException.class)
                    .hasMessageStartingWith("RUNWAY_GATE_SMALL_TABLE: '" + bad + "' is not a size");
        }
        assertThatThrownBy(() -> ByteSizes.parse("99999999TB", "--x")).hasMessageContaining("too large");
    }

    @Test
    void printsLikePgSizePretty() {
        assertThat(ByteSizes.format(0)).isEqualTo("0 B");
        assertThat(ByteSizes.format(16384)).isEqualTo("16 kB");
        assertThat(ByteSizes.format(1536)).isEqualTo("1.5 kB");
        assertThat(ByteSizes.format(10L * 1024 * 1024)).isEqualTo("10 MB");
        assertThat(ByteSizes.format(12L << 30)).isEqualTo("12 GB");
    }
}
