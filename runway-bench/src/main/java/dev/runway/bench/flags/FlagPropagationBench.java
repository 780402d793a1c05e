package dev.runway.bench.flags;

import dev.runway.cli.Main;
import dev.runway.core.DatabaseUrl;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.flags.FeatureFlags;
import dev.runway.lab.DelayProxy;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Flag propagation (docs/benchmarks.md, "Feature flags"): how long after {@code runway flags set}
 * starts (the command's own code, run in this JVM: {@code Main.run}, no JVM start-up) an instance
 * whose local replica is 40 ms behind the primary sees the change in {@code enabled()}, next to when
 * its replica itself shows the change (an observer polls the row there all the time). The difference
 * is what Runway adds over replication. Two layouts of the far instance: its link to the primary on
 * loopback, and 40 ms away like its replica (Fly: the instance and its replica are in the same far
 * region, so notices and WAL travel the same distance). The periodic refresh is an hour, so only
 * the bus delivers. Prints a markdown table and writes it to
 * {@code runway-bench/target/flag-propagation.md}; a harness, it asserts nothing.
 *
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.flags.FlagPropagationBench [trials]</pre>
 */
public final class FlagPropagationBench {
    private FlagPropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> lines = new ArrayList<>();
        lines.add("| far instance's link to the primary | trials | replica shows it p50 / p99 | instance sees it p50 / p99"
                + " | added over replay p50 / p90 / p99 / max | `flags set` p50 |");
        lines.add("|---|---|---|---|---|---|");
        try (Lab lab = Lab.start(LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(40)).build())) {
            lab.createDatabase("bench");
            DatabaseUrl url = lab.primary().url("bench");
            cli("--url", url.toUnmaskedString(), "flags", "set", "prop", "off", "--create");
            for (Duration link : List.of(Duration.ZERO, Duration.ofMillis(40))) {
                DelayProxy proxy = link.isZero() ? null : lab.proxy(lab.primary(), link);
                String primary = proxy == null ? url.toUnmaskedString()
                        : url.toUnmaskedString().replace(":" + url.port() + "/", ":" + proxy.port() + "/");
                RegionConfig cfg = RegionConfig.builder().region("syd").primaryRegion("ord").primaryUrl(primary)
                        .replicaUrl(lab.node("replica1").url("bench")).build();
                try (RunwayDataSource ds = RunwayDataSource.create(cfg);
                        FeatureFlags flags = FeatureFlags.builder(ds).refreshInterval(Duration.ofHours(1)).start();
                        Connection replica = lab.node("replica1").connect("bench")) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!flags.ready() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    lines.add(run(link, trials, url, flags, replica));
                }
                if (proxy != null) {
                    proxy.close();
                }
            }
        }
        lines.forEach(System.out::println);
        Path out = Path.of("runway-bench", "target", "flag-propagation.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
    }

    private static String run(Duration link, int trials, DatabaseUrl url, FeatureFlags flags, Connection replica) throws Exception {
        List<Double> shown = new ArrayList<>();
        List<Double> seen = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        List<Double> command = new ArrayList<>();
        boolean state = flags.enabled("prop");
        try (Statement st = replica.createStatement()) {
            for (int i = 0; i < trials + 10; i++) {
                boolean want = !state;
                Watch onInstance = new Watch(() -> flags.enabled("prop") == want);
                Watch onReplica = new Watch(() -> {
                    try (ResultSet rs = st.executeQuery("SELECT enabled FROM runway_flags WHERE name = 'prop'")) {
                        return rs.next() && rs.getBoolean(1) == want;
                    }
                });
                long t0 = System.nanoTime();
                cli("--url", url.toUnmaskedString(), "flags", "set", "prop", want ? "on" : "off");
                long t1 = System.nanoTime();
                long instanceAt = onInstance.await();
                long replicaAt = onReplica.await();
                state = want;
                if (i >= 10) { // the first ten warm up the JIT and the connections
                    shown.add((replicaAt - t0) / 1e6);
                    seen.add((instanceAt - t0) / 1e6);
                    added.add((instanceAt - replicaAt) / 1e6);
                    command.add((t1 - t0) / 1e6);
                }
                Thread.sleep(20 + ThreadLocalRandom.current().nextInt(40));
            }
        }
        return String.format(Locale.ROOT, "| %s | %d | %.1f / %.1f ms | %.1f / %.1f ms | %.2f / %.2f / %.2f / %.2f ms | %.1f ms |",
                link.isZero() ? "loopback" : link.toMillis() + " ms one way", trials, pct(shown, 50), pct(shown, 99), pct(seen, 50),
                pct(seen, 99), pct(added, 50), pct(added, 90), pct(added, 99), pct(added, 100), pct(command, 50));
    }

    /** Polls a condition on its own thread from construction on and notes when it first held (nanoTime). */
    private static final class Watch {
        interface Check {
            boolean holds() throws Exception;
        }

        private final Thread thread;
        private volatile long at;

        Watch(Check c) {
            thread = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                try {
                    while (System.nanoTime() < deadline) {
                        if (c.holds()) {
                            at = System.nanoTime();
                            return;
                        }
                        LockSupport.parkNanos(20_000);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        long await() throws InterruptedException {
            thread.join();
            if (at == 0) {
                throw new IllegalStateException("the change did not arrive within 10 s");
            }
            return at;
        }
    }

    /** Runs the runway command in this JVM with its output discarded; fails on a non-zero exit. */
    private static void cli(String... args) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        int code;
        try {
            String[] a = new String[args.length];
            // runway <command> ... --url URL: move the leading --url after the subcommand
            System.arraycopy(args, 2, a, 0, args.length - 2);
            a[args.length - 2] = args[0];
            a[args.length - 1] = args[1];
            code = Main.run(a);
        } finally {
            System.setOut(out);
        }
        if (code != 0) {
            throw new IllegalStateException("runway " + String.join(" ", args) + " exited " + code);
        }
    }

    private static double pct(List<Double> xs, double p) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get((int) Math.min(s.size() - 1, Math.floor(p / 100 * s.size())));
    }
}
