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
    void ordersLikeBigIntegerPartsOnRandomVersions() {
        java.util.Random r = new java.util.Random(7);
        List<MigrationVersion> vs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            int parts = 1 + r.nextInt(3);
            for (int p = 0; p < parts; p++) {
                if (p > 0) {
                    b.append('.');
                }
                int len = 1 + r.nextInt(r.nextBoolean() ? 3 : 25);
                for (int k = 0; k < len; k++) {
                    b.append((char) ('0' + (r.nextInt(3) == 0 ? 0 : r.nextInt(10))));
                }
            }
            vs.add(v(b.toString()));
        }
        for (int i = 0; i < vs.size(); i++) {
            MigrationVersion a = vs.get(i);
            MigrationVersion b = vs.get((i * 7 + 3) % vs.size());
            int expected = Integer.signum(bigCompare(a.parts(), b.parts()));
            assertThat(Integer.signum(a.compareTo(b))).as(a + " vs " + b).isEqualTo(expected);
            assertThat(a.equals(b)).isEqualTo(expected == 0);
            if (expected == 0) {
                assertThat(a.hashCode()).isEqualTo(b.hashCode());
            }
        }
    }

    private static int bigCompare(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
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
