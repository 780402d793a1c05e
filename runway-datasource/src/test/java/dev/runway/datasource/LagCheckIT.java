package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica that is behind while nobody waits for it (replay paused; the write is made outside the
 * data source, so no read has a position to wait for) is found by the lag check: reads move to the
 * primary within {@code lagCheckInterval + maxLag}, stay there while it is stuck, and come back
 * once it replays. No reads, no checks; a primary that cannot be reached skips the check. Without
 * the check the stuck replica keeps serving stale reads (the control: the test can fail).
 */
class LagCheckIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    private static final Duration CHECK = Duration.ofMillis(200);
    private static final Duration MAX_LAG = Duration.ofMillis(300);
    /** Scheduling slack on a shared 2-core machine, on top of CHECK + MAX_LAG. */
    private static final Duration MARGIN = Duration.ofMillis(700);

    /** What one read saw, and where. */
    private record Seen(long value, boolean onReplica) {
    }

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 2);
    }

    private static Node replica() {
        return LAB.lab().node("replica1");
    }

    @BeforeEach
    void caughtUp() {
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    @AfterEach
    void resume() throws SQLException {
        replay("resume"); // also done in each test's finally; this covers a failure before it
    }

    /** {@code pg_wal_replay_pause()} / {@code _resume()} on the replica (the lab's user is a superuser). */
    private static void replay(String what) throws SQLException {
        try (Connection c = LAB.connect(replica())) {
            TestDatabase.exec(c, "SELECT pg_wal_replay_" + what + "()");
        }
    }

    private static RunwayDataSource dataSource(Duration lagCheckInterval) {
        return RunwayDataSource.create(Its.config(LAB, replica()).lagCheckInterval(lagCheckInterval).maxLag(MAX_LAG).build());
    }

    private static Seen read(RunwayDataSource ds, int id) throws SQLException {
        return ds.read(c -> new Seen(Its.get(c, id), Its.onReplica(c)));
    }

    /** Written on a plain connection to the primary: not through the data source, so nobody waits for it. */
    private static void writeBehindTheDataSource(int id, long v) throws SQLException {
        try (Connection c = LAB.connect()) {
            Its.set(c, id, v);
        }
    }

    @Test
    void stuckReplicaIsFoundWithoutAWaitingReadAndUsedAgainOnceItReplays() throws Exception {
        try (RunwayDataSource ds = dataSource(CHECK)) {
            assertThat(read(ds, 0)).isEqualTo(new Seen(0, true));
            replay("pause");
            try {
                writeBehindTheDataSource(0, 1);
                long t0 = System.nanoTime();
                int staleFromReplica = 0;
                Seen s;
                do {
                    s = read(ds, 0);
                    if (s.value() == 0) {
                        assertThat(s.onReplica()).as("a stale read comes from the replica").isTrue();
                        staleFromReplica++;
                        Thread.sleep(10);
                    }
                } while (s.value() != 1 && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                DataSourceMetrics m = ds.metrics();
                System.out.printf("LagCheckIT: replay paused: the write was read back from the primary after %d ms"
                        + " (%d stale replica reads before); %s%n", ms, staleFromReplica, m);
                assertThat(s).isEqualTo(new Seen(1, false));
                assertThat(ms).as("time until reads left the stuck replica").isLessThan(CHECK.plus(MAX_LAG).plus(MARGIN).toMillis());
                assertThat(staleFromReplica).as("the replica really was stuck and served reads until found").isPositive();
                assertThat(m.replicaState()).isEqualTo("LAGGING");
                assertThat(m.lagChecksLagging()).isEqualTo(1);
                assertThat(m.waits()).as("no read had anything to wait for").isZero();
                assertThat(m.fallbacks()).isEqualTo(1);

                // Still stuck: every read stays on the primary, and no check runs while it is LAGGING.
                long checks = m.lagChecks();
                for (int i = 0; i < 30; i++) {
                    assertThat(read(ds, 0)).isEqualTo(new Seen(1, false));
                    Thread.sleep(50);
                }
                assertThat(ds.metrics().replicaState()).isEqualTo("LAGGING");
                assertThat(ds.metrics().fallbacks()).isEqualTo(31);
                assertThat(ds.metrics().lagChecks()).isEqualTo(checks);
            } finally {
                replay("resume");
            }
            long t1 = System.nanoTime();
            while (!ds.metrics().replicaState().equals("UP") && System.nanoTime() - t1 < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(10);
            }
            System.out.printf("LagCheckIT: UP again %d ms after replay was resumed%n", (System.nanoTime() - t1) / 1_000_000);
            assertThat(ds.metrics().replicaState()).isEqualTo("UP");
            for (int i = 0; i < 10; i++) {
                assertThat(read(ds, 0)).isEqualTo(new Seen(1, true));
            }
        }
    }

    @Test
    void noReadsNoChecks() throws Exception {
        try (RunwayDataSource ds = dataSource(CHECK)) {
            Thread.sleep(5 * CHECK.toMillis());
            assertThat(ds.metrics().lagChecks()).as("checks with no read in 5 intervals").isZero();
            assertThat(ds.metrics().replicaPolls()).isZero();

            read(ds, 0); // the first read after a quiet spell is checked at once ...
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ds.metrics().lagChecks() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ds.metrics().lagChecks()).isEqualTo(1);
            Thread.sleep(CHECK.toMillis()); // its replay wait has ended (the replica is caught up)
            long polls = ds.metrics().replicaPolls();
            Thread.sleep(5 * CHECK.toMillis()); // ... and with no further read there is no further check
            assertThat(ds.metrics().lagChecks()).isEqualTo(1);
            assertThat(ds.metrics().replicaPolls()).isEqualTo(polls);
            assertThat(ds.metrics().replicaState()).isEqualTo("UP");
        }
    }

    @Test
    void unreachablePrimarySkipsTheCheckAndReadsStayOnTheReplica() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica()).primaryUrl(LAB.url().withHostPort("127.0.0.1", 1))
                .primaryConnectTimeout(Duration.ofMillis(250)).lagCheckInterval(CHECK).maxLag(MAX_LAG).build())) {
            long end = System.nanoTime() + Duration.ofMillis(8 * CHECK.toMillis()).toNanos();
            int reads = 0;
            while (System.nanoTime() < end) {
                assertThat(read(ds, 0).onReplica()).isTrue();
                reads++;
                Thread.sleep(20);
            }
            DataSourceMetrics m = ds.metrics();
            assertThat(m.readsReplica()).isEqualTo(reads);
            assertThat(m.fallbacks()).isZero();
            assertThat(m.lagChecks()).as("checks need the primary's position").isZero();
            assertThat(m.replicaState()).isEqualTo("UP");
        }
    }

    @Test
    void withoutTheCheckAStuckReplicaKeepsServingStaleReads() throws Exception {
        try (RunwayDataSource ds = dataSource(Duration.ZERO)) {
            assertThat(read(ds, 1)).isEqualTo(new Seen(0, true));
            replay("pause");
            try {
                writeBehindTheDataSource(1, 1);
                long end = System.nanoTime() + CHECK.plus(MAX_LAG).plus(MARGIN).toNanos();
                int reads = 0;
                int stale = 0;
                while (System.nanoTime() < end) {
                    reads++;
                    if (read(ds, 1).equals(new Seen(0, true))) {
                        stale++;
                    }
                    Thread.sleep(10);
                }
                System.out.printf("LagCheckIT: lag check off, replay paused: %d of %d reads stale from the replica%n", stale, reads);
                assertThat(stale).isEqualTo(reads);
                DataSourceMetrics m = ds.metrics();
                assertThat(m.replicaState()).isEqualTo("UP");
                assertThat(m.lagChecks()).isZero();
                assertThat(m.fallbacks()).isZero();
            } finally {
                replay("resume");
            }
        }
    }
}
