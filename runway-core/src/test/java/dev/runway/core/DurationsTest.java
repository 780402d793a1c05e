package dev.runway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DurationsTest {
    /** The regular expression the parser replaced: it must accept and read exactly the same texts. */
    private static final Pattern OLD = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Test
    void readsWhatPeopleWrite() {
        assertThat(Durations.parse("250ms", "k")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(" 3s ", "k")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("2m", "k")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h", "k")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("0s", "k")).isZero();
        assertThat(Durations.parse("007ms", "k")).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void refusesWithTheKeyNamed() {
        assertThatThrownBy(() -> Durations.parse("3", "--lock-wait")).isInstanceOf(RunwayException.class)
                .hasMessage("--lock-wait: '3' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999s", "f.sql:3"))
                .hasMessage("f.sql:3: '99999999999999999999s' is too large");
        assertThatThrownBy(() -> Durations.parse(null, "k")).hasMessage("k: 'null' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
    }

    @Test
    void acceptsExactlyWhatTheRegularExpressionAccepted() {
        List<String> texts = List.of("", " ", "s", "ms", "1", "1s", "1 s", " 1s", "1s ", "1S", "1ms", "1mss", "1sm", "1hh",
                "1d", "-1s", "+1s", "1.5s", "1_000ms", "٣s", "１s", "12m", "0h", "1 h", "1h1m", "10msx", "\t5s\n",
                "9223372036854775807ms", "9223372036854775808ms");
        for (String t : texts) {
            Matcher m = OLD.matcher(t.trim());
            String outcome;
            try {
                outcome = Durations.parse(t, "k").toString();
            } catch (RunwayException e) {
                outcome = e.getMessage();
            }
            String before;
            if (!m.matches()) {
                before = "k: '" + t + "' is not a duration (write e.g. 500ms, 3s, 2m, 1h)";
            } else if (m.group(1).length() > 18 && m.group(1).compareTo("9223372036854775807") > 0) {
                before = "k: '" + t + "' is too large";
            } else {
                long n = Long.parseLong(m.group(1));
                String u = m.group(2);
                before = (u.equals("ms") ? Duration.ofMillis(n) : u.equals("s") ? Duration.ofSeconds(n)
                        : u.equals("m") ? Duration.ofMinutes(n) : Duration.ofHours(n)).toString();
            }
            assertThat(outcome).as("'%s'", t).isEqualTo(before);
        }
    }
}
