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

    /** The hand-written parser accepts exactly what this pattern (the one it replaced) matched, with the same value. */
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb)?",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    @Test
    void acceptsExactlyWhatThePatternItReplacedMatched() {
        String alphabet = "10.9 \tbBkKmMgGtTx-\u212A\u0661";
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(""));
        int from = 0;
        for (int len = 1; len <= 4; len++) {
            int to = all.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    all.add(all.get(i) + c);
                }
            }
            from = to;
        }
        for (String text : all) {
            java.util.regex.Matcher m = FORM.matcher(text.trim());
            Long expected = null;
            if (m.matches()) {
                String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
                expected = (long) (Double.parseDouble(m.group(1)) * Math.pow(1024, "bkmgt".indexOf(unit.charAt(0))));
            }
            Long got;
            try {
                got = ByteSizes.parse(text, "k");
            } catch (RunwayException e) {
                assertThat(e.getMessage()).contains("is not a size");
                got = null;
            }
            assertThat(got).as("'%s'", text).isEqualTo(expected);
        }
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
