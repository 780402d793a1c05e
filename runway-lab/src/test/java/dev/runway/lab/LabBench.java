package dev.runway.lab;

import dev.runway.lab.internal.Os;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

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
    private boolean shm;

    private LabBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        new LabBench().run(runs, writes);
    }

    private void run(int runs, int writes) throws Exception {
        Path scratch = Files.createTempDirectory(Path.of("/tmp"), "rwbench");
        try {
            Lab.start(LabConfig.builder().build()).close(); // JIT warm-up and template build, not measured
            startTimes("primary, cold (no template cache: initdb)", runs, 0, () -> fresh(scratch, "cold"));
            startTimes("primary, template cache", runs, 0, () -> null);
            startTimes("primary + 2 replicas, cold (no template cache)", runs, 2, () -> fresh(scratch, "cold2"));
            startTimes("primary + 2 replicas, cold (template cache)", runs, 2, () -> null);
            if (Files.isDirectory(Path.of("/dev/shm"))) {
                shm = true;
                startTimes("primary + 2 replicas, cold (template cache, RUNWAY_LAB_TMPDIR=/dev/shm)", runs, 2, () -> null);
                shm = false;
            }
            warmStarts(scratch.resolve("warm"), runs);
            replay(writes);
        } finally {
            Os.run(List.of("rm", "-rf", scratch.toString()), Duration.ofMinutes(1));
        }
        String table = String.join("\n", List.of(
                "| what | runs | p50 | min | max |",
                "| --- | --- | --- | --- | --- |")) + "\n" + String.join("\n", rows) + "\n";
        String md = "# runway-lab benchmark\n\nPostgreSQL " + PgBinaries.resolve(null, System.getenv(), LabConfig.defaultCacheDir()).version()
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, load average at end "
                + Files.readString(Path.of("/proc/loadavg")).strip() + "\n\n" + table;
        System.out.println(md);
        Path out = Path.of(LabBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("lab-bench.md");
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    private static Path fresh(Path scratch, String what) {
        try {
            return Files.createTempDirectory(scratch, what + "-cache");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lab.start until every replica streams; a new cache dir per run when {@code cache} supplies one. */
    private void startTimes(String what, int runs, int replicas, Supplier<Path> cache) {
        double[] ms = new double[runs];
        double[] stop = new double[runs];
        for (int i = 0; i < runs; i++) {
            LabConfig.Builder b = LabConfig.builder().replicas(replicas);
            if (shm) {
                Map<String, String> env = new HashMap<>(System.getenv());
                env.put("RUNWAY_LAB_TMPDIR", "/dev/shm");
                b.env(env);
            }
            Path c = cache.get();
            if (c != null) {
                b.cacheDir(c);
            }
            LabConfig cfg = b.build();
            long t0 = System.nanoTime();
            Lab lab = Lab.start(cfg);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            lab.close();
            stop[i] = (System.nanoTime() - t1) / 1e6;
        }
        row(what, ms, " ms");
        if (replicas == 2 && what.endsWith("(template cache)")) {
            row("close (stop 3 servers, delete dir)", stop, " ms");
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
        row("primary + 2 replicas, warm (restart of a stopped persistent lab)", ms, " ms");
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

    private void row(String what, double[] ms, String unit) {
        double[] s = ms.clone();
        Arrays.sort(s);
        rows.add(String.format(Locale.ROOT, "| %s | %d | %.0f%s | %.0f%s | %.0f%s |", what, s.length,
                ReplayProbe.quantile(s, 0.5), unit, s[0], unit, s[s.length - 1], unit));
    }

    private void rowPct(String what, double[] ms) {
        rows.add(String.format(Locale.ROOT, "| %s | %d writes | p50 %.2f ms | p99 %.2f ms | max %.2f ms |", what, ms.length,
                ReplayProbe.quantile(ms, 0.5), ReplayProbe.quantile(ms, 0.99), Arrays.stream(ms).max().orElse(0)));
    }
}
