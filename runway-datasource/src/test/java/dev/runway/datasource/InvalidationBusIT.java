package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.notify.NotifySql;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cache invalidation: instance A (primary region) writes; instance B, whose replica is 40 ms behind,
 * drops its entry only once that replica shows the change, so a refill at that moment is never
 * stale (NOTIFY itself arrives ~40 ms before the data does). Invalidations sent inside the write's
 * transaction arrive only if it commits; their position comes from the writer's Position notice
 * (facade) or from asking the primary (plain JDBC). A lost listening connection invalidates
 * everything.
 */
class InvalidationBusIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 4);
    }

    private static Node far() {
        return LAB.lab().node("replica2");
    }

    /** Instance B with the far replica; each invalidated key is refilled at once from that replica, as a cache would. */
    private static final class Receiver implements AutoCloseable {
        final RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, far()).build());
        final Connection refill = LAB.connect(far());
        final BlockingQueue<String> refilled = new ArrayBlockingQueue<>(1000);
        final InvalidationBus bus = ds.invalidations();

        Receiver() throws InterruptedException {
            bus.onInvalidate(key -> {
                try {
                    refilled.add(key + "=" + Its.get(refill, Integer.parseInt(key.substring(key.indexOf(':') + 1))));
                } catch (SQLException e) {
                    refilled.add(key + "=error");
                }
            });
            waitReady(bus);
        }

        String next() throws InterruptedException {
            return refilled.poll(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws SQLException {
            refill.close();
            ds.close();
        }
    }

    @Test
    void publishAfterCommitRefillsTheNewValue() throws Exception {
        try (RunwayDataSource a = RunwayDataSource.create(Its.config(LAB, null).region("ord").build()); Receiver b = new Receiver()) {
            for (int i = 1; i <= 30; i++) {
                try (Connection c = a.getConnection()) {
                    Its.set(c, 0, i);
                }
                a.invalidations().publish("kv:0");
                assertThat(b.next()).as("refill after invalidation %d", i).isEqualTo("kv:0=" + i);
            }
        }
    }

    @Test
    void facadeInvalidatesOnCommitWithTheWritersPosition() throws Exception {
        try (RunwayDataSource a = RunwayDataSource.create(Its.config(LAB, null).region("ord").build()); Receiver b = new Receiver()) {
            InvalidationBus.Stats before = b.bus.stats();
            for (int i = 1; i <= 30; i++) {
                long v = i;
                a.write(c -> {
                    Its.set(c, 1, v);
                    return null;
                }, WriteOption.invalidates("kv:1"));
                assertThat(b.next()).as("refill after write %d", i).isEqualTo("kv:1=" + i);
            }
            InvalidationBus.Stats after = b.bus.stats();
            System.out.printf("InvalidationBusIT: facade, 30 writes: %s -> %s%n", before, after);
            // The Position notice came with the COMMIT: most are paired, none needs the primary
            // unless the machine stalled the writer between its two commits for the whole grace period.
            assertThat(after.pairedByPosition() - before.pairedByPosition()).isGreaterThanOrEqualTo(25);
        }
    }

    /** commit() and setAutoCommit(true) on the data source's connections, with and without position capture. */
    @Test
    void dataSourceConnectionsSendThePositionWithTheCommit() throws Exception {
        RegionConfig capturing = Its.config(LAB, null).region("ord").build();
        RegionConfig plain = Its.config(LAB, null).region("ord").tokenSecret(null).build();
        try (RunwayDataSource a1 = RunwayDataSource.create(capturing); RunwayDataSource a2 = RunwayDataSource.create(plain);
                Receiver b = new Receiver()) {
            InvalidationBus.Stats before = b.bus.stats();
            int v = 0;
            for (RunwayDataSource a : List.of(a1, a2)) {
                for (boolean viaAutoCommit : new boolean[] {false, true}) {
                    v++;
                    try (Connection c = a.getConnection()) {
                        c.setAutoCommit(false);
                        Its.set(c, 1, v);
                        InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, "kv:1");
                        if (viaAutoCommit) {
                            c.setAutoCommit(true);
                        } else {
                            c.commit();
                        }
                    }
                    assertThat(b.next()).as("write %d", v).isEqualTo("kv:1=" + v);
                }
            }
            assertThat(a1.metrics().writes()).isEqualTo(2);
            assertThat(a2.metrics().writes()).as("no capture without replica or tokens").isZero();
            InvalidationBus.Stats after = b.bus.stats();
            assertThat(after.pairedByPosition() - before.pairedByPosition() + after.askedPrimary() - before.askedPrimary()).isGreaterThanOrEqualTo(4);
            assertThat(after.pairedByPosition() - before.pairedByPosition()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void plainJdbcInvalidatesOnCommitAndTheReceiverAsksThePrimary() throws Exception {
        try (Receiver b = new Receiver(); Connection c = LAB.connect()) {
            InvalidationBus.Stats before = b.bus.stats();
            c.setAutoCommit(false);
            for (int i = 1; i <= 10; i++) {
                Its.set(c, 2, i);
                InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, "kv:2");
                c.commit();
                assertThat(b.next()).as("refill after write %d", i).isEqualTo("kv:2=" + i);
            }
            assertThat(b.bus.stats().askedPrimary() - before.askedPrimary()).isGreaterThanOrEqualTo(1);
            c.setAutoCommit(true);
            Its.set(c, 2, 100);
            InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, List.of("kv:2")); // autocommit: published at once
            assertThat(b.next()).isEqualTo("kv:2=100");
        }
    }

    @Test
    void rolledBackWritesInvalidateNothing() throws Exception {
        try (RunwayDataSource a = RunwayDataSource.create(Its.config(LAB, null).region("ord").build()); Receiver b = new Receiver();
                Connection plain = LAB.connect()) {
            long notices = b.bus.stats().notices();
            assertThatThrownBy(() -> a.write(c -> {
                Its.set(c, 3, 7);
                throw new SQLException("the work failed", "P0001");
            }, WriteOption.invalidates("kv:3"))).hasMessage("the work failed");
            plain.setAutoCommit(false);
            Its.set(plain, 3, 8);
            InvalidationBus.invalidateOnCommit(plain, InvalidationBus.DEFAULT_CHANNEL, "kv:3");
            plain.rollback();
            // a committed one after them: the first notice to arrive must be this one
            a.write(c -> {
                Its.set(c, 3, 9);
                return null;
            }, WriteOption.invalidates("kv:3"));
            assertThat(b.next()).isEqualTo("kv:3=9");
            assertThat(b.refilled.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(b.bus.stats().notices() - notices).as("OnCommit + Position of the committed write only").isEqualTo(2);
        }
    }

    @Test
    void keysOverNotifysLimitAreRefusedBeforeAnythingIsWritten() throws Exception {
        String huge = "kv:" + "9".repeat(NotifySql.MAX_KEY_BYTES);
        assertThatThrownBy(() -> WriteOption.invalidates(huge)).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("is 7983 bytes; keys are limited to 7980 bytes").hasMessageNotContaining("\n");
        try (RunwayDataSource a = RunwayDataSource.create(Its.config(LAB, null).region("ord").build()); Connection c = LAB.connect()) {
            c.setAutoCommit(false);
            Its.set(c, 3, 4242);
            assertThatThrownBy(() -> InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, huge))
                    .isInstanceOf(RunwayException.class).hasMessageContaining("7980 bytes");
            c.rollback();
            assertThatThrownBy(() -> a.invalidations().publish(huge)).hasMessageContaining("7980 bytes");
            assertThatThrownBy(() -> InvalidationBus.invalidateOnCommit(c, "Bad-Channel", "k")).hasMessageContaining("lower-case");
            // what PostgreSQL itself says one byte further: our limit is exactly NOTIFY's
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.execute("SELECT pg_notify('x', repeat('a', 7999))");
                assertThatThrownBy(() -> st.execute("SELECT pg_notify('x', repeat('a', 8000))")).hasMessageContaining("payload string too long");
            }
        }
    }

    @Test
    void reconnectInvalidatesEverything() throws Exception {
        try (RunwayDataSource b = RunwayDataSource.create(Its.config(LAB, LAB.lab().node("replica1")).build());
                InvalidationBus bus = InvalidationBus.start(b, "runway_cache2")) {
            waitReady(bus);
            long alls = bus.stats().invalidateAlls();
            try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runway-invalidation'"
                        + " AND datname = current_database()");
            }
            for (int i = 0; i < 400 && bus.stats().invalidateAlls() == alls; i++) {
                Thread.sleep(25);
            }
            assertThat(bus.stats().invalidateAlls()).isEqualTo(alls + 1);
            assertThat(bus.connected()).isTrue();
        }
    }

    static void waitReady(InvalidationBus bus) throws InterruptedException {
        for (int i = 0; i < 400 && bus.stats().invalidateAlls() == 0; i++) {
            Thread.sleep(25);
        }
        assertThat(bus.connected()).isTrue();
        assertThat(bus.stats().invalidateAlls()).isPositive();
    }
}
