package dev.runway.lab;

import dev.runway.lab.internal.Os;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lab start-up and replication-delay benchmark (a main, not a test). Prints a markdown table and
 * writes it to {@code runway-lab/target/lab-bench.md}. Run from the repository root:
 * <pre>
 * mvn -q -B -pl runway-lab -am test-compile
 * java -cp runway-lab/target/test-classes:runway-lab/target/classes:runway-core/target/classes:$HOME/.m2/repository/org/postgresql/postgresql/42.7.13/postgresql-42.7.13.jar dev.runway.lab.LabBench [runs] [writes]
 * </pre>
 */
public final class LabBench {
    private final List<String> rows = new ArrayList<>();

    private LabBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        new LabBench().run(runs, writes);
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    private void run(int runs, int writes) throws Exception {
        Path scratch = Files.createTempDirectory(Path.of("/tmp"), "rwbench");
        String load0 = Files.readString(Path.of("/proc/loadavg")).strip();
        try {
            Lab.start(LabConfig.builder().build()).close(); // JIT warm-up and template build, not measured
            Map<String, String> noSpares = env("RUNWAY_LAB_SPARES", "0");
            starts("primary, cold (no template cache: initdb)", runs, 0, noSpares, scratch, false);
            starts("primary + 2 replicas, cold (no template cache: initdb)", runs, 2, noSpares, scratch, false);
            starts("primary, copy of the cached template", runs, 0, noSpares, null, false);
            starts("primary + 2 replicas, copies of the cached template", runs, 2, noSpares, null, false);
            starts("primary + 2 replicas, ready-made spares (default)", runs, 2, env(), null, true);
            if (Files.isDirectory(Path.of("/dev/shm"))) {
                starts("primary + 2 replicas, template copies, RUNWAY_LAB_TMPDIR=/dev/shm", runs, 2,
                        env("RUNWAY_LAB_SPARES", "0", "RUNWAY_LAB_TMPDIR", "/dev/shm"), null, false);
            }
            warmStarts(scratch.resolve("warm"), runs);
            replay(writes);
        } finally {
            Os.run(List.of("rm", "-rf", scratch.toString()), Duration.ofMinutes(1));
        }
        String md = "# runway-lab benchmark\n\nPostgreSQL "
                + PgBinaries.resolve(null, System.getenv(), LabConfig.defaultCacheDir()).version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs; /proc/loadavg at start: " + load0 + ", at end: "
                + Files.readString(Path.of("/proc/loadavg")).strip() + "\n\n"
                + "| what | runs | p50 | min | max |\n| --- | --- | --- | --- | --- |\n" + String.join("\n", rows) + "\n";
        System.out.println(md);
        Path out = Path.of(LabBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("lab-bench.md");
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    /**
     * Lab.start until every replica streams, then close.
     *
     * @param freshCacheUnder when not null, a new empty cache dir under it per run (no template)
     * @param awaitSpares     wait before each run until the spares are topped up again
     */
    private void starts(String what, int runs, int replicas, Map<String, String> env, Path freshCacheUnder, boolean awaitSpares)
            throws Exception {
        double[] ms = new double[runs];
        double[] close = new double[runs];
        for (int i = 0; i < runs; i++) {
            LabConfig.Builder b = LabConfig.builder().replicas(replicas).env(env);
            if (freshCacheUnder != null) {
                b.cacheDir(Files.createTempDirectory(freshCacheUnder, "cache"));
            }
            if (awaitSpares) {
                awaitSpares(LabConfig.defaultCacheDir(), 3);
            }
            long t0 = System.nanoTime();
            Lab lab = Lab.start(b.build());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            lab.close();
            close[i] = (System.nanoTime() - t1) / 1e6;
        }
        row(what, ms);
        if (awaitSpares) {
            row("close (stop 3 servers, delete the dir)", close);
        }
    }

    private static void awaitSpares(Path cache, int want) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String version = PgBinaries.resolve(null, System.getenv(), cache).version();
        while (System.nanoTime() < deadline) {
            long ready;
            try (Stream<Path> dirs = Files.list(cache.resolve("templates"))) {
                ready = dirs.filter(d -> d.getFileName().toString().startsWith(version)
                        && d.getFileName().toString().endsWith(".spares")).mapToLong(d -> {
                            try (Stream<Path> s = Files.list(d)) {
                                return s.filter(p -> !p.getFileName().toString().endsWith(".tmp")).count();
                            } catch (IOException e) {
                                return 0;
                            }
                        }).max().orElse(0);
            }
            if (ready >= want) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private void warmStarts(Path dir, int runs) {
        LabConfig cfg = LabConfig.builder().replicas(2).dir(dir).build();
        Lab.start(cfg).stop();
        double[] ms = new double[runs];
        try {
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Lab lab = Lab.start(cfg);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                lab.stop();
            }
        } finally {
            Lab.open(dir).destroy();
        }
        row("primary + 2 replicas, warm (restart of a stopped persistent lab)", ms);
    }

    private void replay(int writes) throws Exception {
        try (Lab lab = Lab.start(LabConfig.builder().replicas(2).delay("replica2", Duration.ofMillis(40)).build())) {
            List<Node> both = List.of(lab.node("replica1"), lab.node("replica2"));
            ReplayProbe.measure(lab, "postgres", both, 50);
            double[][] ms = ReplayProbe.measure(lab, "postgres", both, writes);
            rowPct("commit -> replay, near replica (direct)", ms[0]);
            rowPct("commit -> replay, far replica (40 ms one-way proxy)", ms[1]);
        }
    }

    private void row(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f ms | %.0f ms | %.0f ms |", what, s.length,
                ReplayProbe.quantile(s, 0.5), s[0], s[s.length - 1]));
    }

    private void rowPct(String what, double[] ms) {
        rows.add(String.format(Locale.ROOT, "| %s | %d writes | p50 %.2f ms | p99 %.2f ms | max %.2f ms |", what, ms.length,
                ReplayProbe.quantile(ms, 0.5), ReplayProbe.quantile(ms, 0.99), Arrays.stream(ms).max().orElse(0)));
    }
}
