package dev.runway.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.bench.rehearsal.Rehearsal;
import dev.runway.bench.rehearsal.RehearsalConfig;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling-deploy rehearsal (runway-bench's harness) on a lab primary and a replica 40 ms
 * behind: the safe deploy has 0 failed requests and 0 stale reads in every phase; the control (a
 * one-step rename while v1 runs) has failures, and `runway check` flagged it before (RW203). Short
 * phases by default; -Plong runs 10x longer phases and backfills 10x the rows.
 */
class RehearsalIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).delay("replica1", Duration.ofMillis(40));
    private static final int SCALE = Integer.getInteger("runway.it.scale", 1);

    private static RehearsalConfig config(Path work, int rows) {
        Path example = Path.of("").toAbsolutePath();
        return new RehearsalConfig(example, example.resolve("target/fly-app.jar"), example.resolve("../../runway-cli/target/runway.jar").normalize(),
                LAB.url(), LAB.url(LAB.lab().node("replica1")), Duration.ofSeconds(3L * SCALE), 6, rows, work,
                RehearsalConfig.SMALL_JVM);
    }

    @Test
    void safeDeployHasNoFailedRequestsAndNoStaleReads(@TempDir Path work) throws Exception {
        Rehearsal.Report r = Rehearsal.safe(config(work, 20_000 * SCALE));
        System.out.println("Rolling-deploy rehearsal, safe deploy (scale " + SCALE + "):\n" + r.markdown());
        Files.writeString(Path.of("target/rehearsal-safe.md"), r.markdown());
        assertThat(r.phases()).hasSize(7);
        assertThat(r.phases()).allSatisfy(p -> assertThat(p.requests()).as(p.phase()).isPositive());
        assertThat(r.failed()).as("failed requests:\n%s", r.markdown()).isZero();
        assertThat(r.stale()).as("stale reads:\n%s", r.markdown()).isZero();
    }

    @Test
    void controlRunBreaksV1AndCheckFlaggedItBefore(@TempDir Path work) throws Exception {
        LAB.lab().createDatabase("rehearsal_control");
        RehearsalConfig base = config(work, 2_000);
        RehearsalConfig cfg = new RehearsalConfig(base.exampleDir(), base.appJar(), base.runwayJar(),
                LAB.lab().primary().url("rehearsal_control"), LAB.lab().node("replica1").url("rehearsal_control"), base.phase(),
                base.users(), base.seedRows(), base.workDir(), base.jvmOptions());
        Rehearsal.Report r = Rehearsal.breaking(cfg);
        System.out.println("Rolling-deploy rehearsal, control (scale " + SCALE + "):\n" + r.markdown());
        Files.writeString(Path.of("target/rehearsal-control.md"), r.markdown());
        assertThat(r.checkExit()).as(r.checkOutput()).isEqualTo(3);
        assertThat(r.checkOutput()).contains("RW203 rename-column");
        assertThat(r.phases().get(0).failed()).as("before the rename").isZero();
        assertThat(r.phases().get(r.phases().size() - 1).failed()).as("v1 after the rename").isPositive();
    }
}
