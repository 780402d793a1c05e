package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MigrationVersionTest {

    private static MigrationVersion v(String s) {
        return MigrationVersion.parse(s);
    }

    @Test
    void parsesTimestampsDottedAndHugeNumbers() {
        assertThat(v("20250301120000").parts()).containsExactly(new BigInteger("20250301120000"));
        assertThat(v("1.2.10").parts()).extracting(BigInteger::intValue).containsExactly(1, 2, 10);
        assertThat(v("1234567890123456789012345").parts()).containsExactly(new BigInteger("1234567890123456789012345"));
        assertThat(v("1.2.10")).hasToString("1.2.10");
    }

    @Test
    void comparesNumericallyAndExactly() {
        List<String> sorted = new ArrayList<>(List.of("1.10", "1.2", "20250301120000", "9", "1234567890123456789012346",
                "1234567890123456789012345", "1.2.1", "010"));
        List<String> out = sorted.stream().map(MigrationVersion::parse).sorted().map(MigrationVersion::text)
                .collect(Collectors.toList());
        assertThat(out).containsExactly("1.2", "1.2.1", "1.10", "9", "010", "20250301120000",
                "1234567890123456789012345", "1234567890123456789012346");
    }

    @Test
    void trailingZeroPartsAndLeadingZerosDoNotMatter() {
        assertThat(v("1.0")).isEqualByComparingTo(v("1")).isEqualTo(v("1")).hasSameHashCodeAs(v("1"));
        assertThat(v("1.0.0")).isEqualTo(v("1"));
        assertThat(v("001")).isEqualTo(v("1"));
        assertThat(v("1.0.1")).isGreaterThan(v("1"));
    }

    @Test
    void rejectsNonNumericText() {
        for (String bad : new String[] {"", "a1", "1.a", "1..2", ".1", "1.", "-1", "1_2", " 1"}) {
            assertThatThrownBy(() -> v(bad)).isInstanceOf(RunwayException.class)
                    .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                    .hasMessageContaining("migration version");
        }
    }
}
