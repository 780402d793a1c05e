package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.internal.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Ready-made data dir copies: refilled after a start, taken (not copied) by the next one, off with RUNWAY_LAB_SPARES=0. */
class SparesIT {
    private static Set<String> ready(Path cache) throws Exception {
        try (Stream<Path> t = Files.list(cache.resolve("templates"))) {
            List<Path> dirs = t.filter(d -> d.getFileName().toString().endsWith(".spares")).collect(Collectors.toList());
            if (dirs.isEmpty()) {
                return Set.of();
            }
            try (Stream<Path> s = Files.list(dirs.get(0))) {
                return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".tmp")).collect(Collectors.toSet());
            }
        }
    }

    private static Set<String> awaitReady(Path cache, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> r = ready(cache);
        while (r.size() < n) {
            assertThat(System.nanoTime()).as(n + " spares ready within 60 s").isLessThan(deadline);
            Thread.sleep(50);
            r = ready(cache);
        }
        return r;
    }

    /** The spares of {@code cache}'s one template that a temporary lab under {@code base} keeps there. */
    private static Path ownSpares(Path cache, Path base) throws Exception {
        try (Stream<Path> t = Files.list(cache.resolve("templates"))) {
            Path template = t.filter(d -> !d.getFileName().toString().endsWith(".spares")).findFirst().orElseThrow();
            return base.resolve("runway-lab-spares").resolve(template.getFileName() + "-" + Files.getAttribute(template, "unix:ino"));
        }
    }

    private static Set<String> readyIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".tmp")).collect(Collectors.toSet());
        }
    }

    @Test
    void aTemporaryLabOnAnotherFileSystemKeepsOneSpareOnItsOwn() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
                && !Files.getAttribute(shm, "unix:dev").equals(Files.getAttribute(Path.of("/tmp"), "unix:dev")),
                "/dev/shm: a writable directory on another file system than /tmp");
        Path cache = Files.createTempDirectory(Path.of("/tmp"), "rws");
        Path own = null;
        try {
            Map<String, String> inMemory = new HashMap<>(System.getenv());
            inMemory.put("RUNWAY_LAB_TMPDIR", shm.toString());
            Lab.start(LabConfig.builder().cacheDir(cache).env(inMemory).build()).close(); // copies, then refills there
            own = ownSpares(cache, shm);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (readyIn(own).isEmpty()) {
                assertThat(System.nanoTime()).as("a spare ready in " + own + " within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            Set<String> before = readyIn(own);
            assertThat(before).as("one spare away from the template, not three").hasSize(1);
            assertThat(ready(cache)).as("none beside the template: a rename could not bring them here").isEmpty();
            try (Lab lab = Lab.start(LabConfig.builder().cacheDir(cache).env(inMemory).build())) {
                Set<String> left = readyIn(own);
                left.retainAll(before);
                assertThat(left).as("the spare was taken").isEmpty();
                assertThat(lab.primary().dataDir()).startsWith(shm);
                lab.createDatabase("from_a_spare");
                Thread.sleep(300);
                try (Stream<Path> s = Files.list(own)) {
                    // the refill's marker (<id>.<pid>.tmp, an empty file) is there; its copy waits for the lab's dir to go
                    assertThat(s.filter(Files::isDirectory).toList()).as("no copy while the lab works").isEmpty();
                }
                // the waiting shell is detached, not this JVM's child: a JVM that exits while a child of its own runs
                // waits 0.3 s for the thread that reaps it, which a check would pay on every run
                assertThat(ProcessHandle.current().children().filter(p -> p.info().arguments()
                        .map(a -> String.join(" ", a).contains("runway-lab-spares")).orElse(false)).toList())
                        .as("no child of this JVM left copying spares").isEmpty();
            }
        } finally {
            if (own != null) {
                // wait for the refill of the second start, so that no copy writes into what is removed
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (readyIn(own).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Os.run(List.of("rm", "-rf", own.toString()), Duration.ofMinutes(1));
            }
            Os.run(List.of("rm", "-rf", cache.toString()), Duration.ofMinutes(1));
        }
    }

    @Test
    void aStartRefillsTheNextStartTakesThem() throws Exception {
        Path cache = Files.createTempDirectory(Path.of("/tmp"), "rws");
        try {
            Map<String, String> off = new HashMap<>(System.getenv());
            off.put("RUNWAY_LAB_SPARES", "0");
            Lab.start(LabConfig.builder().cacheDir(cache).env(off).build()).close();
            assertThat(ready(cache)).as("no spares when off").isEmpty();

            Lab.start(LabConfig.builder().cacheDir(cache).build()).close(); // spares on: refilled after the start
            Set<String> before = awaitReady(cache, 3);
            try (Lab lab = Lab.start(LabConfig.builder().replicas(2).cacheDir(cache).build())) {
                Set<String> left = ready(cache);
                left.retainAll(before);
                assertThat(left).as("the three spares were taken by the three nodes").isEmpty();
                lab.createDatabase("from_spares"); // replicas built from spares stream like any other
                assertThat(lab.node("replica2").isStreaming()).isTrue();
            }
            awaitReady(cache, 3); // also: no copy is still running when the cache dir goes
        } finally {
            Os.run(List.of("rm", "-rf", cache.toString()), Duration.ofMinutes(1));
        }
    }
}
