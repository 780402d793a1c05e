package dev.runway.datasource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runway.core.Lsn;
import dev.runway.datasource.internal.ReplayTracker;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The benchmark harness (not a test: it asserts nothing). Run with
 * {@code mvn -q -B -pl runway-datasource -am verify -Drunway.bench=true -Dtest=DataSourceBenchIT
 * -Dsurefire.failIfNoSpecifiedTests=false}; writes {@code runway-datasource/target/datasource-bench.md}.
 */
@EnabledIfSystemProperty(named = "runway.bench", matches = "true")
class DataSourceBenchIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40)).exclusive();
    private static final StringBuilder OUT = new StringBuilder();

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 2);
    }

    @Test
    void run() throws Exception {
        OUT.append("# runway-datasource benchmarks\n\nPostgreSQL ").append(LAB.lab().version())
                .append(" lab on loopback, ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared with other builds (load average at start: ").append(loadAverage()).append(").\n\n");
        schedulingNoise();
        addedLatency();
        routingOverhead();
        pollRates();
        OUT.append("Load average at the end: ").append(loadAverage()).append(".\n");
        Path out = Path.of("target", "datasource-bench.md");
        Files.writeString(out, OUT.toString());
        System.out.println(OUT);
    }

    /** How late a thread wakes from a 200 us park on this machine right now: the floor under any poller's tail. */
    private void schedulingNoise() {
        long[] late = new long[2000];
        for (int i = 0; i < late.length; i++) {
            long t0 = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            late[i] = System.nanoTime() - t0 - 200_000;
        }
        Arrays.sort(late);
        OUT.append(String.format("Scheduling noise: a 200 us park wakes late by p50 %s, p99 %s, max %s (2,000 parks).%n%n",
                ms(pct(late, 50)), ms(pct(late, 99)), ms(late[late.length - 1])));
    }

    // ---- 1. added latency of read-your-writes over the true replay time ----

    private void addedLatency() throws Exception {
        OUT.append("## Added latency of read-your-writes over the true replay time\n\n")
                .append("Per cycle: an autocommit UPDATE through the DataSource (its position captured on close), then a read that\n")
                .append("waits for it. An independent observer thread spins `pg_last_wal_replay_lsn()` on its own connection from the\n")
                .append("commit on (every ~50 us) and notes when the replica has replayed the position (true replay time). Added latency = when the\n")
                .append("read was released minus that moment. Baseline: fly_postgres's old design, a fixed 100 ms polling tick.\n\n")
                .append("| replica | design | cycles | true replay p50 | added p50 | added p90 | added p99 | added max |\n|---|---|---|---|---|---|---|---|\n");
        Node near = LAB.lab().node("replica1");
        scenario("loopback", near, Duration.ZERO, 400, 60);
        scenario("near (5 ms)", near, Duration.ofMillis(5), 300, 40);
        scenario("far (40 ms)", LAB.lab().node("replica2"), null, 200, 40);
        near.setUpstreamDelay(Duration.ZERO);
        OUT.append('\n');
    }

    private void scenario(String label, Node replica, Duration delay, int cycles, int fixedCycles) throws Exception {
        if (delay != null) {
            replica.setUpstreamDelay(delay);
            Thread.sleep(500);
        }
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build());
                Connection observer = LAB.connect(replica)) {
            long[][] r = measure(ds, observer, cycles, false);
            row(label, "runway adaptive poller", cycles, r);
        }
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).readYourWrites(false).build());
                Connection observer = LAB.connect(replica); FixedTick tick = new FixedTick(LAB.connect(replica), 100)) {
            long[][] r = measureFixed(ds, observer, tick, fixedCycles);
            row(label, "fixed 100 ms tick", fixedCycles, r);
        }
    }

    private static void row(String label, String design, int cycles, long[][] r) {
        long[] truth = r[0];
        long[] added = r[1];
        Arrays.sort(truth);
        Arrays.sort(added);
        OUT.append(String.format("| %s | %s | %d | %s | %s | %s | %s | %s |%n", label, design, cycles, ms(pct(truth, 50)),
                ms(pct(added, 50)), ms(pct(added, 90)), ms(pct(added, 99)), ms(added[added.length - 1])));
    }

    /** Returns {trueReplayNanos[], addedNanos[]}. */
    static long[][] measure(RunwayDataSource ds, Connection observer, int cycles, boolean unused) throws Exception {
        long[] truth = new long[cycles];
        long[] added = new long[cycles];
        try (PreparedStatement obs = observer.prepareStatement("SELECT pg_last_wal_replay_lsn()")) {
            for (int i = 0; i < cycles; i++) {
                try (Connection c = ds.getConnection()) {
                    Its.set(c, 0, i);
                }
                long committed = System.nanoTime();
                Lsn lsn = ds.session().required();
                CompletableFuture<Long> replayedAt = CompletableFuture.supplyAsync(() -> spin(obs, lsn));
                long[] released = new long[1];
                ds.read(c -> {
                    c.getMetaData(); // binds the connection (the wait happens here), no round trip
                    released[0] = System.nanoTime();
                    return null;
                });
                long trueAt = replayedAt.get(10, TimeUnit.SECONDS);
                truth[i] = trueAt - committed;
                added[i] = released[0] - trueAt;
                Thread.sleep(2); // let the poller go idle: every cycle starts as a fresh request would
            }
        }
        return new long[][] {truth, added};
    }

    private static long[][] measureFixed(RunwayDataSource ds, Connection observer, FixedTick tick, int cycles) throws Exception {
        long[] truth = new long[cycles];
        long[] added = new long[cycles];
        try (PreparedStatement obs = observer.prepareStatement("SELECT pg_last_wal_replay_lsn()")) {
            for (int i = 0; i < cycles; i++) {
                Lsn lsn;
                Thread.sleep(ThreadLocalRandom.current().nextLong(100)); // random phase against the tick, as requests arrive
                try (Connection c = ds.getConnection()) {
                    Its.set(c, 0, i);
                    c.close();
                }
                lsn = ds.session().required();
                long committed = System.nanoTime();
                CompletableFuture<Long> replayedAt = CompletableFuture.supplyAsync(() -> spin(obs, lsn));
                tick.await(lsn);
                long released = System.nanoTime();
                long trueAt = replayedAt.get(10, TimeUnit.SECONDS);
                truth[i] = trueAt - committed;
                added[i] = released - trueAt;
            }
        }
        return new long[][] {truth, added};
    }

    private static long spin(PreparedStatement obs, Lsn lsn) {
        try {
            while (true) {
                try (ResultSet rs = obs.executeQuery()) {
                    rs.next();
                    if (Lsn.parse(rs.getString(1)).reached(lsn)) {
                        return System.nanoTime();
                    }
                }
                // 50 us between queries: fine enough, and it leaves the 2 cores to the system under test.
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** fly_postgres 0.1.11-0.2: every 100 ms, if anyone waits, one replay query; waiters released on the tick. */
    static final class FixedTick implements AutoCloseable {
        private final Connection c;
        private final long periodMs;
        private final Thread t;
        private final List<Object[]> waiters = new ArrayList<>();
        private volatile boolean stop;

        FixedTick(Connection c, long periodMs) {
            this.c = c;
            this.periodMs = periodMs;
            this.t = new Thread(this::loop, "fixed-tick");
            this.t.setDaemon(true);
            this.t.start();
        }

        void await(Lsn lsn) throws Exception {
            CompletableFuture<Void> f = new CompletableFuture<>();
            synchronized (waiters) {
                waiters.add(new Object[] {lsn, f});
            }
            f.get(10, TimeUnit.SECONDS);
        }

        @SuppressWarnings("unchecked")
        private void loop() {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_last_wal_replay_lsn()")) {
                while (!stop) {
                    Thread.sleep(periodMs);
                    synchronized (waiters) {
                        if (waiters.isEmpty()) {
                            continue;
                        }
                    }
                    Lsn at;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        at = Lsn.parse(rs.getString(1));
                    }
                    synchronized (waiters) {
                        waiters.removeIf(w -> {
                            if (at.reached((Lsn) w[0])) {
                                ((CompletableFuture<Void>) w[1]).complete(null);
                                return true;
                            }
                            return false;
                        });
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            t.interrupt();
            t.join();
            c.close();
        }
    }

    // ---- 2. routing overhead on the read path ----

    private void routingOverhead() throws Exception {
        Node replica = LAB.lab().node("replica1");
        int pairs = 40_000;
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(LAB.url(replica).jdbcUrl());
        hc.setDataSourceProperties(LAB.url(replica).properties());
        hc.setMaximumPoolSize(10);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] plainLat = new long[pairs];
        long[] runwayLat = new long[pairs];
        long plainCpu = 0;
        long runwayCpu = 0;
        try (HikariDataSource plain = new HikariDataSource(hc);
                RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build())) {
            // Warm-up long enough for the JIT to compile the proxies' reflective paths (a few thousand
            // calls are not: the first 10,000 reads of each are visibly slower).
            for (int i = 0; i < 3; i++) {
                readLoop(plain, 5000);
                readLoop(ds, 5000);
            }
            // Where the two server processes run decides a read's latency more than anything in the
            // client: a backend woken on the client's core (context switch) and one on the other core
            // differ by tens of percent, and the scheduler's choice is random per connection (earlier
            // runs of this benchmark swung from -15 % to +38 % between runs). So the client JVM is
            // pinned to CPU 0 and both backends serving the two pools to CPU 1 for the measurement.
            long plainPid = backendPid(plain);
            long runwayPid = backendPid(ds);
            String pinned = pin("0", ProcessHandle.current().pid(), true) && pin("1", plainPid, false) && pin("1", runwayPid, false)
                    ? "client JVM pinned to CPU 0, both replica backends (pids " + plainPid + ", " + runwayPid + ") to CPU 1"
                    : "not pinned (taskset unavailable): expect placement noise";
            // Interleaved read by read (plain, Runway, Runway, plain, ...), so that both see the same
            // machine at the same moment.
            for (int i = 0; i < pairs; i++) {
                boolean plainFirst = (i & 1) == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isPlain = plainFirst == (k == 0);
                    long c0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    readOnce(isPlain ? plain : ds);
                    long t = System.nanoTime() - t0;
                    long c = mx.getCurrentThreadCpuTime() - c0;
                    if (isPlain) {
                        plainLat[i] = t;
                        plainCpu += c;
                    } else {
                        runwayLat[i] = t;
                        runwayCpu += c;
                    }
                }
            }
            pin("0-" + (Runtime.getRuntime().availableProcessors() - 1), ProcessHandle.current().pid(), true);
            if (backendPid(plain) != plainPid || backendPid(ds) != runwayPid) {
                pinned += " (but a pool changed connections during the run)";
            }
            double p = Arrays.stream(plainLat).average().orElse(0) / 1000.0;
            double w = Arrays.stream(runwayLat).average().orElse(0) / 1000.0;
            Arrays.sort(plainLat);
            Arrays.sort(runwayLat);
            double p50 = pct(plainLat, 50) / 1000.0;
            double w50 = pct(runwayLat, 50) / 1000.0;
            double p90 = pct(plainLat, 90) / 1000.0;
            double w90 = pct(runwayLat, 90) / 1000.0;
            OUT.append("## Routing overhead on the read path\n\n")
                    .append("One thread; per read: getConnection, setReadOnly(true), prepare + execute a primary-key SELECT, close.\n")
                    .append(String.format("%,d reads on each data source, interleaved one by one (plain, Runway, Runway, plain, ...),", pairs))
                    .append(" after a warm-up of 15,000 reads each; ").append(pinned).append(".\n\n")
                    .append("| data source | mean | p50 | p90 |\n|---|---|---|---|\n")
                    .append(String.format("| plain HikariCP to the replica | %.1f us | %.1f us | %.1f us |%n", p, p50, p90))
                    .append(String.format("| RunwayDataSource (routing proxy, no pending write) | %.1f us | %.1f us | %.1f us |%n", w, w50, w90))
                    .append(String.format("| **overhead** | **%+.1f %%** | **%+.1f %%** | %+.1f %% |%n%n", (w / p - 1) * 100,
                            (w50 / p50 - 1) * 100, (w90 / p90 - 1) * 100))
                    .append("Client CPU per read (thread CPU time):\n\n")
                    .append("| data source | client CPU per read | added CPU as % of the plain read's mean latency |\n|---|---|---|\n")
                    .append(String.format("| plain HikariCP | %.1f us | - |%n", plainCpu / 1000.0 / pairs))
                    .append(String.format("| RunwayDataSource | %.1f us | %+.1f %% |%n%n", runwayCpu / 1000.0 / pairs,
                            (runwayCpu - plainCpu) / 1000.0 / pairs / p * 100));
            // The layer alone: the same calls without executing the query (no network), so the
            // difference is what the proxies and the routing decision cost.
            int m = 20_000;
            long pl = 0;
            long rw = 0;
            for (int r = 0; r < 20; r++) {
                pl += noQueryLoop(plain, m);
                rw += noQueryLoop(ds, m);
            }
            double plUs = pl / 1000.0 / (20.0 * m);
            double rwUs = rw / 1000.0 / (20.0 * m);
            OUT.append("The layer alone (getConnection, setReadOnly, prepareStatement, setInt, close; no query sent), 400,000 each:\n\n")
                    .append("| data source | per operation | added per read | as % of the plain read's latency |\n|---|---|---|---|\n")
                    .append(String.format("| plain HikariCP | %.2f us | - | - |%n", plUs))
                    .append(String.format("| RunwayDataSource | %.2f us | %+.2f us | %+.1f %% |%n%n", rwUs, rwUs - plUs, (rwUs - plUs) / p * 100));
        }
    }

    private static long noQueryLoop(javax.sql.DataSource ds, int n) throws SQLException {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
                    ps.setInt(1, 1);
                }
            }
        }
        return System.nanoTime() - t0;
    }

    /** The server pid behind the connection a single-threaded read loop gets from {@code ds} (HikariCP hands it the same one). */
    private static long backendPid(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code taskset -p [-a] -c cpus pid}; false when it cannot be done. */
    static boolean pin(String cpus, long pid, boolean allThreads) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-p"));
        if (allThreads) {
            cmd.add("-a");
        }
        cmd.addAll(List.of("-c", cpus, String.valueOf(pid)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void readOnce(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            Its.get(c, 1);
        }
    }

    static long readLoop(javax.sql.DataSource ds, int n) throws SQLException {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                Its.get(c, 1);
            }
        }
        return System.nanoTime() - t0;
    }

    // ---- 3. replica poll rate with 1 vs 1000 waiters ----

    private void pollRates() throws Exception {
        OUT.append("## Replica poll queries per second\n\nWaiters registered for a position 1 GB ahead (a replica that is late); polls counted over 1.5 s\n")
                .append("after they are all waiting; then they are cancelled, as timed-out reads are.\n\n| waiters | polls/s | polls while nobody waits (2 s) |\n|---|---|---|\n");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).build())) {
            ReplayTracker tracker = ds.router().tracker();
            for (int n : new int[] {1, 1000}) {
                long idle0 = tracker.polls();
                Thread.sleep(2000);
                long idle = tracker.polls() - idle0;
                Lsn next;
                try (Connection c = LAB.connect(); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
                    rs.next();
                    next = new Lsn(Lsn.parse(rs.getString(1)).value() + (1L << 30)); // 1 GB ahead: not reached during the measurement
                }
                List<ReplayTracker.Waiter> ws = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ws.add(tracker.register(next));
                }
                Thread.sleep(300);
                long p0 = tracker.polls();
                long t0 = System.nanoTime();
                Thread.sleep(1500);
                double rate = (tracker.polls() - p0) / ((System.nanoTime() - t0) / 1e9);
                ws.forEach(tracker::cancel);
                OUT.append(String.format("| %d | %.1f | %d |%n", n, rate, idle));
            }
        }
        OUT.append('\n');
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static String ms(long nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }
}
