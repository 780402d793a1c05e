package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input fails fast with one line, exit-code USAGE, naming the thing at fault; nothing is left running. */
class LabErrorsIT {
    private Path tmp;

    @BeforeEach
    void tmp() throws Exception {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "rwe");
    }

    @AfterEach
    void clean() throws Exception {
        Leftovers.assertNoneWithin(tmp, 5);
        Os.run(List.of("rm", "-rf", tmp.toString()), Duration.ofSeconds(30));
    }

    private static void usage(Runnable r, String... fragments) {
        assertThatThrownBy(r::run).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
    }

    @Test
    void unknownVersion() {
        usage(() -> Lab.start(LabConfig.builder().pgVersion("99").build()), "pgVersion", "'99'");
        usage(() -> PgBinaries.resolve("99", Map.of(), tmp), "'99'", "not supported");
    }

    @Test
    void runwayPgBinPointingAtAnEmptyDir() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty-bin"));
        usage(() -> Lab.start(LabConfig.builder().env(Map.of("RUNWAY_PG_BIN", empty.toString())).build()),
                "RUNWAY_PG_BIN=" + empty, "no executable postgres");
    }

    @Test
    void runwayPgBinOfAnotherMajor() {
        String bin = PgBinaries.resolve(null, Map.of(), tmp).binDir().toString();
        usage(() -> PgBinaries.resolve("17", Map.of("RUNWAY_PG_BIN", bin), tmp), "RUNWAY_PG_BIN=" + bin, "17 was requested");
    }

    @Test
    void labDirOwnedBySomeoneElse() throws Exception {
        assumeTrue(Os.isRoot(), "needs root to chown a dir to postgres");
        Path owned = Files.createDirectory(tmp.resolve("owned"));
        Os.check(List.of("chown", "postgres", owned.toString()), Duration.ofSeconds(10), "chown");
        usage(() -> Lab.start(LabConfig.builder().dir(owned).build()), owned.toString(), "owned by postgres");
        usage(() -> Lab.open(owned), "owned by postgres");
    }

    @Test
    void openOrDownWithNoLab() throws Exception {
        usage(() -> Lab.open(tmp.resolve("nothing")), "no lab in " + tmp.resolve("nothing"));
        usage(() -> Lab.open(tmp), "no lab in " + tmp);
    }

    @Test
    void nonEmptyDirThatIsNotALab() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        usage(() -> Lab.start(LabConfig.builder().dir(tmp).build()), tmp.toString(), "not empty");
        assertThat(tmp.resolve("notes.txt")).exists();
    }

    @Test
    void delayForANodeThatDoesNotExist() {
        usage(() -> Lab.start(LabConfig.builder().replicas(1).delay("replica2", Duration.ofMillis(5)).build()),
                "'replica2'");
        usage(() -> dev.runway.lab.junit.LabExtension.withReplicas(1).delay("fra", Duration.ofMillis(5)).config(), "'fra'");
    }

    @Test
    void unknownNodeName() {
        try (Lab lab = Lab.start(LabConfig.builder().dir(null).build())) {
            usage(() -> lab.node("replica1"), "'replica1'", "nodes: primary");
            tmpLabDir = lab.dir();
        }
        assertThat(tmpLabDir).doesNotExist();
    }

    private Path tmpLabDir;
}
