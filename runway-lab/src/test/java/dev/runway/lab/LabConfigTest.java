package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LabConfig validation: each bad key fails in build() with USAGE and its name. */
class LabConfigTest {
    private static void usage(Runnable r, String... fragments) {
        assertThatThrownBy(r::run).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
    }

    @Test
    void defaults() {
        LabConfig c = LabConfig.builder().build();
        assertThat(c.replicas()).isZero();
        assertThat(c.pgVersion()).isNull();
        assertThat(c.dir()).isNull();
        assertThat(c.delays()).isEmpty();
        assertThat(c.cacheDir()).isNotNull();
    }

    @Test
    void keepsWhatWasAsked() {
        LabConfig c = LabConfig.builder().replicas(2).delay("replica2", Duration.ofMillis(40)).pgVersion("17")
                .dir(Path.of("rel")).env(Map.of("RUNWAY_PG_BIN", "/x")).build();
        assertThat(c.delayOf("replica2")).isEqualTo(Duration.ofMillis(40));
        assertThat(c.delayOf("replica1")).isEqualTo(Duration.ZERO);
        assertThat(c.dir().isAbsolute()).isTrue();
        assertThat(c.env()).containsEntry("RUNWAY_PG_BIN", "/x");
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void rejectsBadReplicaCounts() {
        usage(() -> LabConfig.builder().replicas(9).build(), "replicas", "9", "0..8");
        usage(() -> LabConfig.builder().replicas(-1).build(), "replicas", "-1");
    }

    @Test
    void rejectsDelayForUnknownNode() {
        usage(() -> LabConfig.builder().replicas(2).delay("replica3", Duration.ofMillis(5)).build(), "delay", "'replica3'", "replica1..replica2");
        usage(() -> LabConfig.builder().delay("replica1", Duration.ofMillis(5)).build(), "'replica1'", "no replicas");
        usage(() -> LabConfig.builder().replicas(1).delay("primary", Duration.ofMillis(5)).build(), "'primary'");
        usage(() -> LabConfig.builder().replicas(1).delay("replica01", Duration.ofMillis(5)).build(), "'replica01'");
        usage(() -> LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(-5)).build(), "replica1", "out of range");
    }

    @Test
    void rejectsUnknownVersions() {
        usage(() -> LabConfig.builder().pgVersion("99").build(), "pgVersion", "'99'", "13, 14, 15, 16, 17, 18");
        usage(() -> LabConfig.builder().pgVersion("12").build(), "'12'");
        usage(() -> LabConfig.builder().pgVersion("15.4").build(), "'15.4'");
    }
}
