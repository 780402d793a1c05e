package dev.runway.datasource.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.datasource.InvalidationBus;
import dev.runway.datasource.Its;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.WriteResult;
import dev.runway.lab.DelayProxy;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three application instances with one coherent cache each, on a lab primary and two replicas:
 * "ord" in the primary region (reads on the primary), "ams" on the near replica, "syd" on the replica
 * 40 ms behind. Writers on every instance invalidate through the write's transaction; readers read
 * through the caches as fast as they can.
 *
 * <p>Stale, precisely: a read on instance X that started at time s returned a version older than one
 * whose commit X's own database (its replica, or the primary for "ord") had already shown at
 * s - {@value #SLACK_MS} ms, as an observer polling that database every millisecond saw it. The
 * slack covers the replay poller noticing the replay and the callback thread getting a CPU on this
 * shared 2-core machine (runs at load 25 saw 300 ms); a cache that dropped keys on receipt instead
 * of after the replay keeps the old value until the key's next write, seconds later with
 * {@value #KEYS} keys (docs/datasource.md, "Tests", lists the run that shows it).
 */
class CacheClusterIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    static final int KEYS = 200;
    static final long SLACK_MS = 1000;

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, KEYS);
    }

    @Test
    void noStaleCacheReadsAcrossThreeInstances() throws Exception {
        int ops = 10_000 * Its.scale();
        int writesPerWriter = ops / 30; // 10 % writes over the three writers, the rest reads
        Versions versions = new Versions();
        ConcurrentLinkedQueue<long[]> reads = new ConcurrentLinkedQueue<>(); // {instance, key, start, value}
        try (Instance ord = new Instance(0, "ord", null); Instance ams = new Instance(1, "ams", LAB.lab().node("replica1"));
                Instance syd = new Instance(2, "syd", LAB.lab().node("replica2"))) {
            List<Instance> all = List.of(ord, ams, syd);
            ExecutorService pool = Executors.newFixedThreadPool(9);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger writersLeft = new AtomicInteger(3);
            AtomicInteger readCount = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (Instance in : all) {
                fs.add(pool.submit(() -> {
                    try {
                        for (int i = 0; i < writesPerWriter; i++) {
                            int key = ThreadLocalRandom.current().nextInt(KEYS);
                            WriteResult<Long> w = in.ds.write(c -> increment(c, key), in.cache.invalidates(key));
                            versions.add(key, w.value(), w.lsn(), System.nanoTime());
                            LockSupport.parkNanos(3_000_000);
                        }
                    } finally {
                        if (writersLeft.decrementAndGet() == 0) {
                            writing.set(false);
                        }
                    }
                    return null;
                }));
                for (int r = 0; r < 2; r++) {
                    fs.add(pool.submit(() -> {
                        // keep reading until the writers are done and the total is reached
                        while (writing.get() || readCount.get() < ops - 3 * writesPerWriter) {
                            int key = ThreadLocalRandom.current().nextInt(KEYS);
                            long start = System.nanoTime();
                            long v = in.cache.get(key, k -> in.ds.read(c -> Its.get(c, k)));
                            reads.add(new long[] {in.index, key, start, v});
                            readCount.incrementAndGet();
                            LockSupport.parkNanos(1_000_000);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long stale = 0;
            long behindPrimary = 0;
            long[] stalePer = new long[3];
            List<Long> behindOwnDb = new ArrayList<>();
            for (long[] r : reads) {
                Instance in = all.get((int) r[0]);
                // how long before this read began its own database had shown a newer version than the one returned
                long newer = versions.lsnOf((int) r[1], r[3] + 1);
                long shownAt = newer < 0 ? Long.MAX_VALUE : in.shown.firstReached(newer);
                if (shownAt < r[2]) {
                    long behind = r[2] - shownAt;
                    behindOwnDb.add(behind);
                    if (behind > TimeUnit.MILLISECONDS.toNanos(SLACK_MS)) {
                        stale++;
                        if (++stalePer[(int) r[0]] <= 3) {
                            System.out.printf("CacheClusterIT: stale on %s: key %d read %d, %.1f ms after its database showed version %d%n",
                                    in.name, r[1], r[3], behind / 1e6, r[3] + 1);
                        }
                    }
                }
                if (r[3] < versions.newestBefore((int) r[1], r[2])) {
                    behindPrimary++;
                }
            }
            behindOwnDb.sort(null);
            System.out.printf("CacheClusterIT: stale per instance %s; reads that returned a version older than their own database"
                    + " showed: %d, by p50 %.1f / p99 %.1f / max %.1f ms%n", java.util.Arrays.toString(stalePer), behindOwnDb.size(),
                    pct(behindOwnDb, 0.5), pct(behindOwnDb, 0.99), pct(behindOwnDb, 1.0));
            long total = reads.size() + 3L * writesPerWriter;
            StringBuilder report = new StringBuilder();
            for (Instance in : all) {
                report.append(String.format("%n  %s: hits %d, misses %d, bus %s", in.name, in.cache.stats().hitCount(),
                        in.cache.stats().missCount(), in.ds.invalidations().stats()));
            }
            System.out.printf("CacheClusterIT: %d operations (%d writes, %d cache reads): %d stale; %d reads behind the primary's"
                    + " newest commit (replica lag, allowed)%s%n", total, 3 * writesPerWriter, reads.size(), stale, behindPrimary, report);
            assertThat(total).isGreaterThanOrEqualTo(ops);
            assertThat(stale).isZero();
            for (Instance in : all) {
                assertThat(in.cache.stats().hitCount()).as("%s served from its cache", in.name).isGreaterThan(reads.size() / 10);
                assertThat(in.ds.invalidations().stats().keysInvalidated()).as("%s heard every write", in.name)
                        .isGreaterThanOrEqualTo(3L * writesPerWriter);
            }
        }
    }

    /**
     * A request killed (SIGKILL) between its commit and its end: with the invalidation inside the
     * transaction every instance still drops the key; published after the commit, it never arrives.
     */
    @Test
    void anInstanceKilledAfterItsCommitStillInvalidatesEveryone() throws Exception {
        try (Instance ord = new Instance(0, "ord", null); Instance ams = new Instance(1, "ams", LAB.lab().node("replica1"));
                Instance syd = new Instance(2, "syd", LAB.lab().node("replica2"))) {
            List<Instance> all = List.of(ord, ams, syd);
            int key = 0;
            for (String mode : List.of("jdbc", "facade", "after")) {
                long before = all.get(0).read(key);
                for (Instance in : all) {
                    assertThat(in.read(key)).isEqualTo(before);
                }
                long next = before + 1000;
                runAndKill(mode, key, next);
                for (Instance in : all) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(mode.equals("after") ? 2 : 10);
                    long seen;
                    while ((seen = in.read(key)) != next && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    System.out.printf("CacheClusterIT: killed after commit (%s): %s serves %d (committed %d)%n", mode, in.name, seen, next);
                    if (mode.equals("after")) {
                        assertThat(seen).as("%s: the publish after the commit never happened", in.name).isEqualTo(before);
                    } else {
                        assertThat(seen).as("%s (%s)", in.name, mode).isEqualTo(next);
                    }
                }
                for (Instance in : all) {
                    in.cache.invalidateAll(); // the control left them stale: start the next mode clean
                }
            }
        }
    }

    /** Notices sent while an instance's listening connection is down are lost to it: the reconnect drops everything. */
    @Test
    void aReconnectDropsEverything() throws Exception {
        Node primary = LAB.lab().primary();
        try (DelayProxy link = LAB.lab().proxy(primary, Duration.ZERO); Instance ord = new Instance(0, "ord", null);
                Instance syd = new Instance(2, "syd", LAB.lab().node("replica2"), link)) {
            int key = 1;
            long before = syd.read(key);
            InvalidationBus.Stats heard = syd.ds.invalidations().stats();
            link.setDelay(Duration.ofSeconds(2)); // the reconnect will take seconds
            link.cutConnections();
            for (int i = 0; i < 400 && syd.ds.invalidations().connected(); i++) {
                Thread.sleep(10);
            }
            assertThat(syd.ds.invalidations().connected()).isFalse();
            long next = before + 7;
            ord.ds.write(c -> {
                Its.set(c, key, next);
                return null;
            }, ord.cache.invalidates(key));
            LAB.lab().waitForReplay(primary.currentWalLsn(), Duration.ofSeconds(10));
            assertThat(syd.read(key)).as("disconnected: the cached value is served, the notice is lost").isEqualTo(before);
            link.setDelay(Duration.ZERO);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (syd.read(key) != next && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            InvalidationBus.Stats after = syd.ds.invalidations().stats();
            System.out.printf("CacheClusterIT: reconnect: %s -> %s%n", heard, after);
            assertThat(syd.read(key)).isEqualTo(next);
            assertThat(after.invalidateAlls()).isGreaterThan(heard.invalidateAlls());
            assertThat(after.keysInvalidated()).as("the key's own notice was lost").isEqualTo(heard.keysInvalidated());
        }
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1e6;
    }

    private static void runAndKill(String mode, int key, long value) throws Exception {
        List<String> cmd = List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-XX:TieredStopAtLevel=1", "-cp", classpath(), KillChild.class.getName(), mode, LAB.url().toUnmaskedString(),
                String.valueOf(key), String.valueOf(value));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("COMMITTED")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output:\n%s", seen).isEqualTo("COMMITTED");
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally in the child
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    private static long increment(Connection c, int key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET v = v + 1 WHERE id = ? RETURNING v")) {
            ps.setInt(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every committed version of every key with the position that covers its commit. */
    static final class Versions {
        private final ConcurrentHashMap<Integer, List<long[]>> byKey = new ConcurrentHashMap<>();

        /** @param committedAt nanoTime after the write returned (its commit happened before) */
        void add(int key, long version, Lsn lsn, long committedAt) {
            List<long[]> l = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            synchronized (l) {
                l.add(new long[] {version, lsn.value(), committedAt});
            }
        }

        /** The position covering version {@code version} of {@code key}. */
        long lsnOf(int key, long version) {
            List<long[]> l = byKey.getOrDefault(key, List.of());
            synchronized (l) {
                for (long[] v : l) {
                    if (v[0] == version) {
                        return v[1];
                    }
                }
            }
            return -1;
        }

        /** The newest version of {@code key} committed before {@code nanoTime}. */
        long newestBefore(int key, long nanoTime) {
            long best = Long.MIN_VALUE;
            List<long[]> l = byKey.getOrDefault(key, List.of());
            synchronized (l) {
                for (long[] v : l) {
                    if (v[2] < nanoTime && v[0] > best) {
                        best = v[0];
                    }
                }
            }
            return best;
        }
    }

    /** What one database has shown over time: a replica's replay position, or the primary's flush position. */
    static final class Timeline implements AutoCloseable {
        private final List<long[]> points = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        Timeline(Node node) {
            String sql = node.isPrimary() ? "SELECT pg_current_wal_flush_lsn()" : "SELECT pg_last_wal_replay_lsn()";
            thread = new Thread(() -> {
                try (Connection c = LAB.connect(node); Statement st = c.createStatement()) {
                    while (!stop) {
                        try (ResultSet rs = st.executeQuery(sql)) {
                            rs.next();
                            long lsn = Lsn.parse(rs.getString(1)).value();
                            long t = System.nanoTime(); // after the answer: the node had shown lsn by then
                            synchronized (points) {
                                points.add(new long[] {t, lsn});
                            }
                        }
                        LockSupport.parkNanos(1_000_000);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "timeline-" + node.name());
            thread.setDaemon(true);
            thread.start();
        }

        /** When the node was first seen at or past {@code lsn}. */
        long firstReached(long lsn) {
            synchronized (points) {
                for (long[] p : points) {
                    if (Long.compareUnsigned(p[1], lsn) >= 0) {
                        return p[0];
                    }
                }
            }
            return Long.MAX_VALUE;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5000);
        }
    }

    /** One application instance: a data source, its bus and a coherent cache of kv rows, and what its database showed. */
    static final class Instance implements AutoCloseable {
        final int index;
        final String name;
        final RunwayDataSource ds;
        final CoherentCache<Integer, Long> cache;
        final Timeline shown;

        Instance(int index, String name, Node replica) throws InterruptedException {
            this(index, name, replica, null);
        }

        /** @param link when not null, this instance reaches the primary through it */
        Instance(int index, String name, Node replica, DelayProxy link) throws InterruptedException {
            this.index = index;
            this.name = name;
            RegionConfig.Builder b = Its.config(LAB, replica).region(replica == null ? "ord" : name);
            if (link != null) {
                b.primaryUrl(LAB.url().toUnmaskedString().replace(":" + LAB.lab().primary().port() + "/", ":" + link.port() + "/"));
            }
            this.ds = RunwayDataSource.create(b.build());
            this.cache = CoherentCache.<Integer, Long>builder(ds, "kv").maximumSize(10_000).build();
            this.shown = new Timeline(replica == null ? LAB.lab().primary() : replica);
            for (int i = 0; i < 400 && !cache.ready(); i++) {
                Thread.sleep(25);
            }
            assertThat(cache.ready()).as("%s ready", name).isTrue();
        }

        long read(int key) throws SQLException {
            return cache.get(key, k -> ds.read(c -> Its.get(c, k)));
        }

        @Override
        public void close() throws InterruptedException {
            shown.close();
            ds.close();
        }
    }
}
