package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Write-then-read through the DataSource's plain JDBC surface: the write on a default connection
 * (primary), the read on a read-only one (the replica 40 ms behind the primary). With the wait
 * no read is stale; without it most are, which shows the check can fail.
 */
class ReadYourWritesIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    private static final int THREADS = 8;

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, THREADS);
    }

    private static Node far() {
        return LAB.lab().node("replica2");
    }

    @Test
    void noStaleReadsFromTheFarReplica() throws Exception {
        // 10,000 cycles take about a minute here (8 threads x ~45 ms per cycle), so the default run does them all.
        int cycles = 10_000 * Math.max(1, Its.scale() / 2);
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, far()).build())) {
            long stale = cycles(ds, cycles);
            DataSourceMetrics m = ds.metrics();
            System.out.printf("ReadYourWritesIT: %d write-then-read cycles on replica2 (40 ms), %d stale; %s%n", cycles, stale, m);
            assertThat(stale).isZero();
            assertThat(m.readsReplica()).isEqualTo(cycles);
            assertThat(m.fallbacks()).isZero();
            assertThat(m.waits()).isGreaterThan(cycles / 2);
        }
    }

    @Test
    void withoutTheWaitReadsAreStale() throws Exception {
        int cycles = 200;
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, far()).readYourWrites(false).build())) {
            long stale = cycles(ds, cycles);
            System.out.printf("ReadYourWritesIT: wait disabled: %d of %d reads stale%n", stale, cycles);
            assertThat(stale).isGreaterThan(cycles / 2);
        }
    }

    @Test
    void nearReplicaToo() throws Exception {
        int cycles = 1_000 * Its.scale();
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).build())) {
            assertThat(cycles(ds, cycles)).isZero();
            assertThat(ds.metrics().readsReplica()).isEqualTo(cycles);
        }
    }

    /** Spring's sequence for @Transactional and @Transactional(readOnly = true), by hand. */
    @Test
    void springStyleTransactionsRouteAndSeeTheirWrites() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, far()).build())) {
            for (int i = 1; i <= 50; i++) {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    Its.set(c, 0, i);
                    c.commit();
                    c.setAutoCommit(true);
                }
                try (Connection c = ds.getConnection()) {
                    c.setReadOnly(true); // after getConnection, as DataSourceTransactionManager does
                    c.setAutoCommit(false);
                    assertThat(Its.onReplica(c)).isTrue();
                    assertThat(Its.get(c, 0)).isEqualTo(i);
                    c.commit();
                    c.setAutoCommit(true);
                    c.setReadOnly(false);
                }
            }
            assertThat(ds.metrics().writes()).isEqualTo(50);
        }
    }

    @Test
    void facadeWriteWaitsAndReadsFromTheReplica() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, far()).build())) {
            for (int i = 1; i <= 20; i++) {
                long v = i;
                WriteResult<Integer> w = ds.write(c -> {
                    Its.set(c, 1, v);
                    return 1;
                });
                assertThat(w.visibleLocally()).isTrue();
                assertThat(w.lsn()).isNotNull();
                // The write already waited: the replica shows it with no further wait.
                assertThat(LAB.lab().node("replica2").replayLsn().reached(w.lsn())).isTrue();
                long got = ds.read(c -> Its.get(c, 1));
                assertThat(got).isEqualTo(v);
            }
            WriteResult<Void> nw = ds.write(c -> {
                Its.set(c, 1, 1000);
                return null;
            }, WriteOption.NO_WAIT);
            assertThat(nw.visibleLocally()).isFalse();
            assertThat(nw.lsn()).isNotNull();
        }
    }

    /** THREADS threads, each on its own row: write v, then read it back. Returns the stale reads. */
    static long cycles(RunwayDataSource ds, int total) throws Exception {
        AtomicLong stale = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                int n = total / THREADS + (t < total % THREADS ? 1 : 0);
                fs.add(pool.submit(() -> {
                    long base = System.nanoTime();
                    for (int i = 1; i <= n; i++) {
                        long v = base + i;
                        try (Connection w = ds.getConnection()) {
                            Its.set(w, id, v);
                        }
                        try (Connection r = ds.getConnection()) {
                            r.setReadOnly(true);
                            if (Its.get(r, id) != v) {
                                stale.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return stale.get();
    }
}
