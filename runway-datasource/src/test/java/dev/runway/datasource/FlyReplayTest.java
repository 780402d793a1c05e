package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** When a failure becomes a fly-replay, and when it must not (loops). */
class FlyReplayTest {
    private static final SQLException READ_ONLY = new SQLException("cannot execute UPDATE in a read-only transaction", "25006");

    @Test
    void readOnlyViolationOutsideThePrimaryRegionReplaysThere() {
        FlyReplay r = FlyReplay.of("syd", "ord");
        assertThat(r.headerFor(new RuntimeException("wrapped", READ_ONLY), null)).contains("region=ord;state=captured_write");
    }

    @Test
    void noReplayInThePrimaryRegionForOtherErrorsOrForAnAlreadyReplayedRequest() {
        assertThat(FlyReplay.of("ord", "ord").headerFor(READ_ONLY, null)).isEmpty();
        assertThat(FlyReplay.of(null, null).headerFor(READ_ONLY, null)).isEmpty();
        assertThat(FlyReplay.of("syd", "ord").headerFor(new SQLException("boom", "23505"), null)).isEmpty();
        assertThat(FlyReplay.of("syd", "ord").headerFor(READ_ONLY, "instance=abc;region=syd;t=1;state=captured_write")).isEmpty();
    }

    @Test
    void findsTheStateInChainedExceptions() {
        SQLException batch = new SQLException("batch failed", "XX000");
        batch.setNextException(READ_ONLY);
        assertThat(FlyReplay.isReadOnlyViolation(batch)).isTrue();
        assertThat(FlyReplay.isReadOnlyViolation(new IllegalStateException())).isFalse();
    }
}
