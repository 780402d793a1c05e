package dev.runway.migrate.dir.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A nolint's rule id is checked by hand: the same answers as the regex it replaced. */
class RuleIdFormTest {
    @Test
    void sameAnswersAsTheRegex() {
        Pattern regex = Pattern.compile("RW\\d{3}");
        for (String s : new String[] {"RW101", "RW000", "RW999", "RW403", "rw101", "Rw101", "RW10", "RW1011", "RW 101", "RWx01",
            "RW10a", "RW１２３", "RW١٢٣", "", "R", "RW", "XW101", "RX101", " RW101", "RW101 ", "RW/01", "RW:01"}) {
            assertThat(DirectiveParser.ruleId(s)).as(s).isEqualTo(regex.matcher(s).matches());
        }
    }
}
