package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.datasource.internal.ReplayTracker;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No lost wake-up on an idle database: a waiter whose position is already replayed returns at once
 * (fly_postgres 0.3 waited for the next WAL change, i.e. until its timeout on a quiet system),
 * including a position at a WAL page boundary, and a write's captured position never points past
 * what the replica will report (the insert-position overshoot), so a lone write on an idle
 * database does not stall its read.
 */
class IdleWaitIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    private static final long PAGE = 8192;

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 2);
    }

    @Test
    void alreadyReplayedPositionReturnsAtOnceOnAnIdleDatabase() throws Exception {
        Node replica = LAB.lab().node("replica1");
        Thread.sleep(300); // idle: nothing is being written
        Lsn replayed = replica.replayLsn();
        Lsn boundary = new Lsn(replayed.value() / PAGE * PAGE);
        for (Lsn target : new Lsn[] {replayed, boundary}) {
            // A fresh data source: its cached position is 0/0, so the wait must go through the poller.
            try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build())) {
                ReplayTracker tracker = ds.router().tracker();
                long t0 = System.nanoTime();
                ReplayTracker.Outcome o = tracker.await(target).get(2, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(o).isEqualTo(ReplayTracker.Outcome.REACHED);
                assertThat(ms).as("wait for %s (replayed %s)", target, replayed).isLessThan(200);
                assertThat(tracker.polls()).isEqualTo(1);
                // The second wait for the same position costs nothing at all.
                assertThat(tracker.await(target).isDone()).isTrue();
                assertThat(tracker.polls()).isEqualTo(1);
            }
        }
    }

    @Test
    void loneWriteOnAnIdleDatabaseIsReadBackPromptly() throws Exception {
        for (Node replica : LAB.lab().replicas()) {
            try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build())) {
                for (int i = 1; i <= 10; i++) {
                    Thread.sleep(250); // the database goes idle between writes
                    long t0 = System.nanoTime();
                    try (Connection c = ds.getConnection()) {
                        Its.set(c, 0, i);
                    }
                    long got = ds.read(c -> Its.get(c, 0));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertThat(got).isEqualTo(i);
                    assertThat(ms).as("write + read on idle %s", replica.name()).isLessThan(1000);
                }
                assertThat(ds.metrics().waitTimeouts()).isZero();
                assertThat(ds.metrics().fallbacks()).isZero();
            }
        }
    }
}
