package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing outlives the JVM: the shutdown hook closes labs on a normal exit, the watchdog cleans up
 * after a kill -9. And the lab works for a non-root user (a child JVM run as {@code postgres}).
 */
class CleanupIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** Where this test's classes, the module's, runway-core's and pgjdbc come from. */
    private static List<Path> classPath() throws Exception {
        List<Path> cp = new ArrayList<>();
        for (Class<?> c : List.of(LabChildMain.class, Lab.class, RunwayException.class, org.postgresql.Driver.class)) {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!cp.contains(p)) {
                cp.add(p);
            }
        }
        return cp;
    }

    private static String join(List<Path> cp) {
        List<String> s = new ArrayList<>();
        cp.forEach(p -> s.add(p.toString()));
        return String.join(File.pathSeparator, s);
    }

    private static Process child(String mode) throws Exception {
        return new ProcessBuilder(JAVA, "-Xmx128m", "-cp", join(classPath()), LabChildMain.class.getName(), mode)
                .redirectErrorStream(true).start();
    }

    private static Path readDir(Process p, StringBuilder out) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            out.append(line).append('\n');
            if (line.startsWith("DIR ")) {
                return Path.of(line.substring(4));
            }
        }
        throw new AssertionError("child printed no DIR line: " + out);
    }

    @Test
    void watchdogCleansUpAfterKillMinus9() throws Exception {
        Process p = child("hold");
        StringBuilder out = new StringBuilder();
        try {
            Path dir = readDir(p, out);
            assertThat(Leftovers.under(dir)).as("servers of the child's lab").hasSizeGreaterThanOrEqualTo(2)
                    .anyMatch(l -> l.contains("pgbouncer.ini"));
            try (var segments = Files.list(dir.resolve("primary/pg_dynshmem"))) {
                assertThat(segments.toList()).as("dynamic shared memory under the data dir (mmap), not in /dev/shm where"
                        + " a server killed hard would leave it").isNotEmpty();
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hooks run
            p.waitFor(10, TimeUnit.SECONDS);
            Leftovers.assertNoneWithin(dir, 20);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.exists(dir) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(dir).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void shutdownHookClosesLabsOnNormalExit() throws Exception {
        Process p = child("exit");
        StringBuilder out = new StringBuilder();
        try {
            Path dir = readDir(p, out);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // the hook ran before the JVM exited: nothing left at once, no watchdog needed
            assertThat(Leftovers.under(dir)).isEmpty();
            assertThat(dir).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void persistentLabAndItsProxyOutliveTheJvmThatStartedThem() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rwc").resolve("lab");
        try {
            Process p = new ProcessBuilder(JAVA, "-Xmx128m", "-cp", join(classPath()), LabChildMain.class.getName(), "up",
                    dir.toString()).redirectErrorStream(true).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            Lab lab = Lab.open(dir); // like `runway lab status` from another shell
            assertThat(lab.status()).extracting(NodeStatus::state).containsExactly("primary", "streaming");
            assertThat(Leftovers.under(dir)).anyMatch(l -> l.contains("dev.runway.lab.ProxyMain"));
            double p50 = ReplayProbe.quantile(ReplayProbe.measure(lab, "postgres", lab.replicas(), 20)[0], 0.5);
            assertThat(p50).as("delay served by the detached proxy").isGreaterThanOrEqualTo(20.0).isLessThan(60.0);
            lab.destroy(); // runway lab down --destroy
            Leftovers.assertNoneWithin(dir, 10);
            assertThat(dir).doesNotExist();
        } finally {
            if (Files.exists(dir.resolve("lab.properties"))) {
                Lab.open(dir).destroy();
            }
            Files.deleteIfExists(dir.getParent());
        }
    }

    @Test
    void worksAsANonRootUser() throws Exception {
        assumeTrue(Os.isRoot(), "runs a child as user postgres, which needs root; as non-root every other IT already proves it");
        Path tmp = Files.createTempDirectory(Path.of("/tmp"), "rwu");
        try {
            List<Path> copied = new ArrayList<>();
            int i = 0;
            for (Path p : classPath()) {
                Path to = tmp.resolve(i++ + "-" + p.getFileName());
                Os.check(List.of("cp", "-a", p.toString(), to.toString()), Duration.ofSeconds(60), "copy " + p);
                copied.add(to);
            }
            Os.check(List.of("chmod", "-R", "a+rX", tmp.toString()), Duration.ofSeconds(30), "chmod");
            Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", JAVA, "-Xmx128m", "-cp", join(copied),
                    LabChildMain.class.getName(), "use").redirectErrorStream(true).start();
            String out;
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done).as("child finished: " + out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("OK version=").doesNotContain("uid=0");
            Path dir = Path.of(out.lines().filter(l -> l.startsWith("DIR ")).findFirst().orElseThrow().substring(4));
            Leftovers.assertNoneWithin(dir, 5);
            assertThat(dir).doesNotExist();
        } finally {
            Os.run(List.of("rm", "-rf", tmp.toString()), Duration.ofSeconds(30));
        }
    }
}
