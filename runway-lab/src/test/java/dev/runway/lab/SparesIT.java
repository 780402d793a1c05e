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
