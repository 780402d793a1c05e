package dev.runway.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizerTest {
    final BatchSizer sizer = new BatchSizer(100, 50_000, Duration.ofMillis(200));

    @Test
    void movesTowardsTheTargetInBoundedSteps() {
        assertThat(sizer.next(5000, Duration.ofMillis(100))).isEqualTo(10_000);
        assertThat(sizer.next(5000, Duration.ofMillis(10))).as("at most x2").isEqualTo(10_000);
        assertThat(sizer.next(5000, Duration.ofMillis(250))).isEqualTo(4000);
        assertThat(sizer.next(5000, Duration.ofSeconds(30))).as("at most x0.5").isEqualTo(2500);
        assertThat(sizer.next(5000, Duration.ofMillis(200))).isEqualTo(5000);
    }

    @Test
    void staysWithinMinAndMax() {
        assertThat(sizer.next(40_000, Duration.ofMillis(1))).isEqualTo(50_000);
        assertThat(sizer.next(150, Duration.ofSeconds(1))).isEqualTo(100);
    }

    @Test
    void aZeroTargetKeepsTheSize() {
        assertThat(new BatchSizer(1, 10_000, Duration.ZERO).next(5000, Duration.ofSeconds(9))).isEqualTo(5000);
    }

    @Test
    void convergesOnASteadyCostPerRow() {
        int size = 1000;
        for (int i = 0; i < 20; i++) {
            size = sizer.next(size, Duration.ofNanos(size * 20_000L)); // 20 µs per row: 10,000 rows = 200 ms
        }
        assertThat(size).isEqualTo(10_000);
    }
}
