package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nodes die: a killed replica costs no failed request; a dead primary fails writes clearly and not reads. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).exclusive();

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 4);
    }

    @Test
    @Order(1)
    void replicaKilledMidRunReadsGoToThePrimaryAndComeBack() throws Exception {
        Node replica = LAB.lab().node("replica1");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).replicaRetry(Duration.ofMillis(200)).build())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong requests = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    long i = 0;
                    while (!stop.get()) {
                        try {
                            i++;
                            if (id == 0) { // one thread writes then reads its write back
                                try (Connection c = ds.getConnection()) {
                                    Its.set(c, 0, i);
                                }
                            }
                            long v = ds.read(c -> Its.get(c, id));
                            if (id == 0 && v != i) {
                                failures.add(new AssertionError("stale read: " + v + " != " + i));
                            }
                            requests.incrementAndGet();
                        } catch (SQLException | RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            Thread.sleep(1000);
            DataSourceMetrics before = ds.metrics();
            replica.kill();
            Thread.sleep(2000);
            DataSourceMetrics during = ds.metrics();
            assertThat(during.replicaState()).isEqualTo("DOWN");
            assertThat(during.readsPrimary() - before.readsPrimary()).as("reads on the primary while the replica is down")
                    .isGreaterThan(50);
            replica.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!ds.metrics().replicaState().equals("UP") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // UP is the health check's verdict; the replica's pool then replaces its dead connections, so
            // reads return within a few seconds, not at once. Wait (bounded) for a quiet 200 ms window.
            long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < settle) {
                long p0 = ds.metrics().readsPrimary();
                Thread.sleep(200);
                if (ds.metrics().readsPrimary() - p0 < 2) {
                    break;
                }
            }
            DataSourceMetrics back = ds.metrics();
            Thread.sleep(1000);
            DataSourceMetrics after = ds.metrics();
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
            System.out.printf("FailoverIT: %d requests, %d failed; before kill %s; down %s; after restart %s%n", requests.get(),
                    failures.size(), before, during, after);
            assertThat(failures).isEmpty();
            assertThat(after.replicaState()).isEqualTo("UP");
            assertThat(after.readsReplica() - back.readsReplica()).as("reads back on the replica").isGreaterThan(50);
            assertThat(after.readsPrimary() - back.readsPrimary()).as("reads still on the primary once back").isLessThan(5);
        }
    }

    @Test
    @Order(2)
    void primaryUnreachableWritesFailClearlyReadsKeepWorking() throws Exception {
        Node replica = LAB.lab().node("replica1");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica)
                .primaryConnectTimeout(Duration.ofMillis(500)).build())) {
            try (Connection c = ds.getConnection()) {
                Its.set(c, 1, 42);
            }
            assertThat((long) ds.read(c -> Its.get(c, 1))).isEqualTo(42);
            LAB.lab().primary().kill();
            try {
                // The pooled connection is dead: a clear "lost the connection to the primary" error, then
                // "unreachable" once the pool has to connect anew.
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
                        try (Connection c = ds.getConnection()) {
                            Its.set(c, 1, 43);
                        }
                    });
                    assertThat(t).isInstanceOf(SQLException.class);
                    assertThat(t.getMessage()).contains("runway:", "primary").doesNotContain("password");
                    assertThat(((SQLException) t).getSQLState()).startsWith("08");
                    messages.add(t.getMessage());
                }
                System.out.println("FailoverIT: write errors with the primary down: " + messages);
                assertThat(messages.get(2)).contains("unreachable");
                long replicaReads = ds.metrics().readsReplica();
                for (int i = 0; i < 50; i++) {
                    assertThat((long) ds.read(c -> Its.get(c, 1))).isEqualTo(42);
                }
                assertThat(ds.metrics().readsReplica() - replicaReads).isEqualTo(50);
                assertThatThrownBy(() -> ds.write(c -> {
                    Its.set(c, 1, 44);
                    return null;
                })).isInstanceOf(SQLException.class).hasMessageContaining("primary");
            } finally {
                LAB.lab().primary().start();
            }
        }
    }

    @Test
    @Order(3)
    void promotedReplicaIsNoLongerUsedForReads() throws Exception {
        Node replica = LAB.lab().node("replica1");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build())) {
            try (Connection c = ds.getConnection()) {
                Its.set(c, 2, 1);
            }
            assertThat((long) ds.read(c -> Its.get(c, 2))).isEqualTo(1);
            assertThat(ds.metrics().readsReplica()).isEqualTo(1);
            replica.promote(); // a new timeline: its positions no longer compare with the old primary's
            try (Connection c = ds.getConnection()) {
                Its.set(c, 2, 2);
            }
            assertThat((long) ds.read(c -> Its.get(c, 2))).isEqualTo(2);
            DataSourceMetrics m = ds.metrics();
            assertThat(m.replicaState()).isEqualTo("NOT_A_REPLICA");
            assertThat(m.readsPrimary()).isEqualTo(1);
            assertThat(ds.checkReplica()).isEqualTo(ReplicaCheck.NOT_A_REPLICA);
        }
    }
}
