package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
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
 * (it waits before its next batch) and goes on once replay resumes.
 */
class ThrottleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1);

    @TempDir
    Path tmp;

    @Test
    void waitsWhileTheReplicaLagsAndContinuesWhenItCatchesUp() throws Exception {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=500 target=0 pause=20ms max-lag=300ms\n"
                        + BackfillIT.TOUCH);
        Node replica = LAB.lab().replicas().get(0);
        BackfillIT.Events events = new BackfillIT.Events();
        CompletableFuture<Void> run;
        try (Connection r = replica.connect("postgres"); Statement s = r.createStatement()) {
            s.execute("SELECT pg_wal_replay_pause()");
            try {
                run = CompletableFuture.runAsync(() -> f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (events.waits.isEmpty() && System.nanoTime() < deadline && !run.isDone()) {
                    Thread.sleep(20);
                }
                assertThat(events.waits).as("the backfill noticed the lag").isNotEmpty();
                assertThat(events.waits.get(0)).contains("replica").contains("> max-lag 300ms");
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
    void noThrottlingWhenReplicasKeepUp() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(5000)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=500 target=0 max-lag=2s\n" + BackfillIT.TOUCH);
        BackfillIT.Events events = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        assertThat(events.waits).isEmpty();
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(5000);
    }
}
