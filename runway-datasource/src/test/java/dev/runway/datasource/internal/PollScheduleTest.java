package dev.runway.datasource.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The adaptive poll interval, on made-up times (nanoseconds). */
class PollScheduleTest {
    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    @Test
    void withoutHistoryTheIntervalGrowsWithTheWaitUpToTheMaximum() {
        PollSchedule s = new PollSchedule(200 * US, 20 * MS);
        assertThat(s.delayFor(0, 0)).isEqualTo(200 * US);
        assertThat(s.delayFor(0, 8 * MS)).isEqualTo(1 * MS);
        assertThat(s.delayFor(0, 80 * MS)).isEqualTo(10 * MS);
        assertThat(s.delayFor(0, 500 * MS)).isEqualTo(20 * MS);
    }

    @Test
    void farReplicaSleepsUntilTheExpectedReplayThenPollsFinely() {
        PollSchedule s = new PollSchedule(200 * US, 20 * MS);
        for (int i = 0; i < 50; i++) {
            s.observe(42 * MS);
        }
        assertThat(s.expectedNanos()).isEqualTo(42 * MS);
        // Just registered: sleep (capped at the maximum) towards 0.75 x 42 ms = 31.5 ms.
        assertThat(s.delayFor(0, 0)).isEqualTo(20 * MS);
        assertThat(s.delayFor(0, 20 * MS)).isEqualTo(11_500 * US);
        // In the window: every 42/50 ms = 0.84 ms.
        assertThat(s.delayFor(0, 32 * MS)).isEqualTo(840 * US);
        assertThat(s.delayFor(0, 100 * MS)).isEqualTo(840 * US);
        // Late (beyond 3 x expected = 126 ms): an eighth of the lateness.
        assertThat(s.delayFor(0, 150 * MS)).isEqualTo(3 * MS);
        assertThat(s.delayFor(0, 2000 * MS)).isEqualTo(20 * MS);
    }

    @Test
    void loopbackReplicaPollsAtTheMinimum() {
        PollSchedule s = new PollSchedule(200 * US, 20 * MS);
        s.observe(500 * US);
        assertThat(s.delayFor(0, 0)).isEqualTo(375 * US);
        assertThat(s.delayFor(0, 400 * US)).isEqualTo(200 * US);
        assertThat(s.delayFor(0, 3 * MS)).isEqualTo(200 * US);
    }

    @Test
    void oneSlowReplayDoesNotDelayTheNextWaitsFirstPoll() {
        PollSchedule s = new PollSchedule(200 * US, 20 * MS);
        for (int i = 0; i < 10; i++) {
            s.observe(40 * MS);
        }
        s.observe(300 * MS); // an outlier (or a poll that waited for a busy CPU)
        assertThat(s.expectedNanos()).isEqualTo(40 * MS);
        assertThat(s.delayFor(0, 20 * MS)).isEqualTo(10 * MS); // still towards 0.75 x 40 ms
    }

    @Test
    void theWindowOpensAtTheShortestRecentWait() {
        PollSchedule s = new PollSchedule(200 * US, 20 * MS);
        s.observe(8 * MS);
        s.observe(4 * MS);
        s.observe(10 * MS);
        assertThat(s.delayFor(0, 0)).isEqualTo(3 * MS);
        assertThat(s.delayFor(0, 3 * MS)).isEqualTo(200 * US);
    }
}
