package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cache invalidation: instance A (primary region) publishes; instance B, whose replica is 40 ms
 * behind, drops its entry only once that replica shows the change, so a refill at that moment is
 * never stale (NOTIFY itself arrives ~40 ms before the data does). A lost listening connection
 * invalidates everything.
 */
class InvalidationBusIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 1);
    }

    @Test
    void receiverDropsTheKeyOnlyOnceItsReplicaShowsTheWrite() throws Exception {
        Node far = LAB.lab().node("replica2");
        try (RunwayDataSource a = RunwayDataSource.create(Its.config(LAB, null).region("ord").build());
                RunwayDataSource b = RunwayDataSource.create(Its.config(LAB, far).build());
                InvalidationBus busA = InvalidationBus.start(a, "runway_cache");
                InvalidationBus busB = InvalidationBus.start(b, "runway_cache");
                Connection refill = LAB.connect(far)) {
            BlockingQueue<Long> refilled = new ArrayBlockingQueue<>(100);
            busB.onInvalidate(key -> {
                try { // what a cache would do: refill from the local replica right away
                    refilled.add(Its.get(refill, Integer.parseInt(key)));
                } catch (Exception e) {
                    refilled.add(-1L);
                }
            });
            waitConnected(busA);
            waitConnected(busB);
            int n = 30;
            for (int i = 1; i <= n; i++) {
                try (Connection c = a.getConnection()) {
                    Its.set(c, 0, i);
                }
                busA.publish("0");
                Long seen = refilled.poll(5, TimeUnit.SECONDS);
                assertThat(seen).as("refill after invalidation %d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void reconnectInvalidatesEverything() throws Exception {
        try (RunwayDataSource b = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).build());
                InvalidationBus bus = InvalidationBus.start(b, "runway_cache2")) {
            CountDownLatch all = new CountDownLatch(1);
            bus.onInvalidateAll(all::countDown);
            waitConnected(bus);
            try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runway-invalidation'"
                        + " AND query LIKE 'LISTEN runway_cache2%'");
            }
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            waitConnected(bus);
        }
    }

    private static void waitConnected(InvalidationBus bus) throws InterruptedException {
        for (int i = 0; i < 200 && !bus.connected(); i++) {
            Thread.sleep(25);
        }
        assertThat(bus.connected()).isTrue();
    }
}
