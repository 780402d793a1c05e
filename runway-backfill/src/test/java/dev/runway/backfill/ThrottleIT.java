package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrationListener;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * max-lag against a real streaming replica whose replay is paused: the backfill stops making progress
 * (it waits before its next batch) and goes on once replay resumes. For a role without pg_monitor
 * (PostgreSQL hides the positions in pg_stat_replication from it) the lag is read from the replica
 * itself when its URL is given, and max-lag is refused up front when it is not.
 */
class ThrottleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1);

    @TempDir
    Path tmp;

    static final String THROTTLED = "-- runway:backfill table=t key=id batch=500 target=0 pause=20ms max-lag=300ms\n" + BackfillIT.TOUCH;

    /**
     * Runs the backfill while {@code paused}'s replay is paused: asserts it waits (naming {@code expect}) and
     * makes no batch while paused, then resumes replay and lets it finish; every row exactly once.
     */
    static void assertWaitsWhilePaused(BackfillFixture f, Node paused, Backfiller runner, String expect) throws Exception {
        BackfillIT.Events events = new BackfillIT.Events();
        CompletableFuture<Void> run;
        // the fixture (database, role, rows) must have reached every replica before one stops replaying:
        // a role that does not exist there yet is an authentication failure, not lag
        f.lab.waitForReplay(f.lab.primary().currentWalLsn(), java.time.Duration.ofSeconds(30));
        try (Connection r = paused.connect("postgres"); Statement s = r.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
            try {
                run = CompletableFuture.runAsync(() -> f.runway().migrateData(MigrateOptions.ALL, events, runner));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (events.waits.isEmpty() && System.nanoTime() < deadline && !run.isDone()) {
                    Thread.sleep(20);
                }
                assertThat(events.waits).as("the backfill noticed the lag (run %s, %d batches)", run.isDone()
                        ? run.handle((v, e) -> e == null ? "finished" : "failed: " + e).join() : "running", events.progress.size())
                        .isNotEmpty();
                assertThat(events.waits.get(0)).startsWith("replica " + expect + " replay lag ").endsWith("ms > max-lag 300ms");
                int batchesAtWait = events.progress.size();
                Thread.sleep(1500);
                assertThat(events.progress).as("no batch while the replica lags").hasSize(batchesAtWait);
                assertThat(run).isNotDone();
                assertThat(batchesAtWait).as("batches before the lag passed 300ms").isLessThan(40);
            } finally {
                s.execute("SELECT pg_wal_replay_resume()");
            }
        }
        run.get(60, TimeUnit.SECONDS);
        assertThat(events.progress).hasSize(40);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(20_000);
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
    }

    @Test
    void waitsWhileTheReplicaLagsAndContinuesWhenItCatchesUp() throws Exception {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000).data("1_touch.sql", THROTTLED);
        assertWaitsWhilePaused(f, LAB.lab().replicas().get(0), new Backfiller(), "replica1");
    }

    @Test
    void noThrottlingWhenReplicasKeepUp() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(5000)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=500 target=0 max-lag=2s\n" + BackfillIT.TOUCH);
        BackfillIT.Events events = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        assertThat(events.waits).isEmpty();
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(5000);
    }

    @Test
    void aRoleWithoutPgMonitorIsRefusedMaxLagUpFrontWithoutReplicaUrls() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(2000).data("1_touch.sql", THROTTLED)
                .asOrdinaryRole("app_plain", "t");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("1_touch.sql:1: max-lag=300ms needs the replicas' replay positions, but role app_plain cannot read them"
                        + " in pg_stat_replication (1 standby streams from this primary); grant it pg_monitor (GRANT pg_monitor TO"
                        + " \"app_plain\"), give the replicas' URLs in RUNWAY_REPLICA_URLS (Java API: BackfillConfig.replicas), or"
                        + " set max-lag=0 to backfill without waiting for replicas");
        assertThat(f.number("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'runway%'")).as("nothing created").isZero();
        assertThat(f.number("SELECT count(*) FROM t WHERE touched > 0")).isZero();
        // without max-lag it runs: nothing to wait for
        f.data("1_touch.sql", THROTTLED.replace("max-lag=300ms", "max-lag=0"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(2000);
    }

    @Test
    void aRoleWithoutPgMonitorSeesTheLagThroughTheReplicaItself() throws Exception {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000).data("1_touch.sql", THROTTLED)
                .asOrdinaryRole("app_plain", "t");
        Node replica = LAB.lab().replicas().get(0);
        Backfiller runner = new Backfiller(BackfillConfig.builder()
                .replica(dev.runway.core.DatabaseUrl.of(replica.host(), replica.port(), f.url.database(), "app_plain", null)).build());
        assertWaitsWhilePaused(f, replica, runner, "replica1");
    }

    @Test
    void aReplicaUrlThatIsNotAReplicaIsRefused() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(100).data("1_touch.sql", THROTTLED);
        Backfiller runner = new Backfiller(BackfillConfig.builder().replica(f.url).build());
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, runner))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("is not a replica (pg_is_in_recovery() is false): give the replicas' URLs, not the primary's");
        assertThat(f.number("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'runway%'")).isZero();
    }
}
