package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failover under load, without restarting the app: the primary is killed, the most advanced replica
 * promoted, and the app's local replica follows it, while 4 threads write and read their writes back
 * through the primary's service address (the lab's {@link Lab#primaryService()}: the same address before
 * and after, as Fly's {@code <db>.flycast:5432}). Counted: requests, failed requests (all within the
 * outage), stale reads (a read missing a write the new primary has: must be 0), writes lost with the old
 * primary (asynchronous replication). Writes go to the new primary once it is up; a token of the old
 * timeline is ignored without a long wait, and a session whose position the new timeline never wrote
 * reads without waiting out the timeout.
 */
class PrimaryFailoverIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).exclusive();
    static final int THREADS = 4;

    record Op(int id, long v, long startNanos, long endNanos, String error, boolean write, boolean sawOwnWrite) {
    }

    static void write(Connection c, int id, long v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setLong(2, v);
            ps.executeUpdate();
        }
    }

    static long latest(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(v), 0) FROM log WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void writesMoveToTheNewPrimaryWithNoStaleReadAndOldTimelinePositionsDoNotWedgeReads() throws Exception {
        Lab lab = LAB.lab();
        try (Connection c = LAB.connect()) {
            TestDatabase.exec(c, "CREATE TABLE log (id int, v bigint, PRIMARY KEY (id, v))");
        }
        lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
        Node local = lab.node("replica2");
        local.setUpstreamDelay(Duration.ofMillis(3)); // replica1 is ahead: it is the one promoted
        DatabaseUrl service = LAB.url().withHostPort("127.0.0.1", lab.primaryService().port());
        RegionConfig.Builder cfg = Its.config(LAB, local).primaryUrl(service).waitTimeout(Duration.ofSeconds(3))
                .primaryConnectTimeout(Duration.ofSeconds(2));
        try (RunwayDataSource ds = RunwayDataSource.create(cfg.build()); RunwayDataSource other = RunwayDataSource.create(cfg.build())) {
            // before: a token, and a session of this instance that requires a position far ahead on the old timeline
            ds.write(c -> {
                write(c, 99, 1);
                return null;
            });
            String oldToken = ds.issueToken().orElseThrow();
            assertThat(other.acceptToken(oldToken)).isEqualTo(TokenCheck.ACCEPTED);
            ConsistencySession ahead = new ConsistencySession();
            ahead.require(new dev.runway.core.Lsn(ds.session().required().value() + 64L * 1024 * 1024));

            ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong seq = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    while (!stop.get()) {
                        long v = seq.incrementAndGet();
                        long t0 = System.nanoTime();
                        try (Connection c = ds.getConnection()) {
                            write(c, id, v);
                        } catch (SQLException e) {
                            ops.add(new Op(id, v, t0, System.nanoTime(), e.getMessage(), true, false));
                            sleep(20);
                            continue;
                        }
                        ops.add(new Op(id, v, t0, System.nanoTime(), null, true, false));
                        long r0 = System.nanoTime();
                        try (Connection c = ds.getConnection()) {
                            c.setReadOnly(true);
                            ops.add(new Op(id, v, r0, System.nanoTime(), null, false, latest(c, id) >= v));
                        } catch (SQLException e) {
                            ops.add(new Op(id, v, r0, System.nanoTime(), e.getMessage(), false, false));
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            Thread.sleep(2000);
            long killAt = System.nanoTime();
            Node promoted = lab.failover();
            long upAt = System.nanoTime();
            Thread.sleep(4000);
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }

            // after: the writes land on the new primary, through the same address
            int port = ds.write(c -> {
                write(c, 98, 1);
                try (PreparedStatement ps = c.prepareStatement("SELECT inet_server_port()"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).value();
            assertThat(port).isEqualTo(promoted.port());

            Set<String> onNewPrimary = new HashSet<>();
            try (Connection c = promoted.connect(LAB.database()); PreparedStatement ps = c.prepareStatement("SELECT id, v FROM log");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    onNewPrimary.add(rs.getInt(1) + ":" + rs.getLong(2));
                }
            }
            long writes = 0;
            long failedWrites = 0;
            long failedReads = 0;
            long stale = 0;
            long lost = 0;
            long failedOutsideOutage = 0;
            long graceNanos = Duration.ofSeconds(3).toNanos();
            Set<String> acknowledged = new HashSet<>();
            for (Op o : ops) {
                if (o.write()) {
                    writes++;
                    if (o.error() != null) {
                        failedWrites++;
                    } else {
                        acknowledged.add(o.id() + ":" + o.v());
                    }
                } else if (o.error() != null) {
                    failedReads++;
                } else if (!o.sawOwnWrite() && onNewPrimary.contains(o.id() + ":" + o.v())) {
                    stale++;
                }
                if (o.error() != null && (o.endNanos() < killAt || o.startNanos() > upAt + graceNanos)) {
                    failedOutsideOutage++;
                }
            }
            for (String w : acknowledged) {
                if (!onNewPrimary.contains(w)) {
                    lost++;
                }
            }
            long afterWrites = ops.stream().filter(o -> o.write() && o.error() == null && o.startNanos() > upAt).count();

            // a token of the old timeline: the instance that saw the failover ignores it; one that has not seen it yet
            // (no write, no lag check since) may still accept it, but its read does not wait out the timeout, and
            // that read teaches it the new timeline
            TokenCheck writerCheck = ds.acceptToken(oldToken);
            ConsistencySession s = new ConsistencySession();
            long t0 = System.nanoTime();
            TokenCheck firstCheck;
            try (RunwayDataSource.Scope scope = other.bind(s)) {
                firstCheck = other.acceptToken(oldToken);
                other.read(c -> latest(c, 0));
            }
            long tokenReadMs = (System.nanoTime() - t0) / 1_000_000;
            TokenCheck secondCheck;
            try (RunwayDataSource.Scope scope = other.bind(new ConsistencySession())) {
                secondCheck = other.acceptToken(oldToken);
            }
            // a session requiring a position the new timeline has not written: capped at the primary's position
            long a0 = System.nanoTime();
            try (RunwayDataSource.Scope scope = ds.bind(ahead)) {
                ds.read(c -> latest(c, 0));
            }
            long aheadReadMs = (System.nanoTime() - a0) / 1_000_000;
            DataSourceMetrics m = ds.metrics();
            System.out.printf("PrimaryFailoverIT: %d requests (%d writes), outage %d ms (kill to promotion), %d failed writes and %d failed"
                    + " reads (%d outside the outage + 3 s), %d writes on the new primary after it, %d stale reads, %d acknowledged writes"
                    + " lost with the old primary; old-timeline token: writer %s, other instance %s then %s, its read in %d ms;"
                    + " session ahead of the new timeline read in %d ms; %s%n", ops.size(), writes, (upAt - killAt) / 1_000_000,
                    failedWrites, failedReads, failedOutsideOutage, afterWrites, stale, lost, writerCheck, firstCheck, secondCheck,
                    tokenReadMs, aheadReadMs, m);
            assertThat(stale).as("stale reads").isZero();
            assertThat(failedReads).as("failed reads").isZero();
            assertThat(failedOutsideOutage).as("failures outside the outage").isZero();
            assertThat(afterWrites).as("writes after the promotion").isPositive();
            assertThat(writerCheck).isEqualTo(TokenCheck.OTHER_SERVER);
            assertThat(secondCheck).isEqualTo(TokenCheck.OTHER_SERVER);
            assertThat(tokenReadMs).as("old-timeline token read").isLessThan(1500);
            assertThat(aheadReadMs).as("read of a session ahead of the new timeline").isLessThan(1500);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
