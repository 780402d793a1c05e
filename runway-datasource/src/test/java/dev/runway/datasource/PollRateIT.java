package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.Lsn;
import dev.runway.datasource.internal.ReplayTracker;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One poller per replica: 1 waiter and 1,000 waiters cost the replica the same poll rate, and
 * nobody waiting costs nothing. Polls are counted twice: by the tracker and, independently, by
 * the replica itself (committed transactions in the test database, which only the poller uses).
 */
class PollRateIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(2).delay("replica2", Duration.ofMillis(40));
    /** Measured steady-state rates, for the benchmark page. */
    static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 1);
    }

    @Test
    void pollRateDoesNotDependOnTheNumberOfWaiters() throws Exception {
        Node replica = LAB.lab().node("replica1");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, replica).build())) {
            ReplayTracker tracker = ds.router().tracker();
            settle();
            long server0 = serverTransactions(replica);
            long polls0 = tracker.polls();
            Thread.sleep(2000);
            settle();
            assertThat(tracker.polls() - polls0).as("polls while nobody waits").isZero();
            assertThat(serverTransactions(replica) - server0).as("replica transactions while nobody waits").isZero();

            double one = steadyRate(ds, 1);
            double many = steadyRate(ds, 1000);
            String line = String.format("replica polls/s while waiting: 1 waiter %.1f, 1000 waiters %.1f", one, many);
            System.out.println("PollRateIT: " + line);
            REPORT.add(line);
            // Per-waiter polling would make this 1000x; the tolerance only absorbs the noise of a
            // shared 2-core machine (sleeps overshoot under load).
            assertThat(many).isBetween(one * 0.5, one * 1.5 + 5);

            long sent = tracker.polls() - polls0;
            ds.close(); // the poller's backend exits, which flushes its statistics
            settle();
            // The tracker's count is what the replica saw. The only other transactions in this database
            // there are HikariCP's set-up queries of the replica pool's idle connections (a handful).
            assertThat(serverTransactions(replica) - server0).isBetween(sent, sent + 12);
        }
    }

    /**
     * Registers n waiters (as n concurrent reads do) for a position far ahead, measures polls/s once
     * all wait, then cancels them (as reads that time out do).
     */
    private static double steadyRate(RunwayDataSource ds, int n) throws Exception {
        ReplayTracker tracker = ds.router().tracker();
        Lsn next;
        try (Connection c = LAB.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
            rs.next();
            next = new Lsn(Lsn.parse(rs.getString(1)).value() + (1L << 30)); // 1 GB ahead: not reached during the measurement
        }
        List<ReplayTracker.Waiter> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(tracker.register(next));
        }
        assertThat(tracker.waiting()).isEqualTo(n);
        Thread.sleep(300); // past the arrival: measure the steady state
        long p0 = tracker.polls();
        long t0 = System.nanoTime();
        Thread.sleep(1500);
        double rate = (tracker.polls() - p0) / ((System.nanoTime() - t0) / 1e9);
        for (ReplayTracker.Waiter w : waits) {
            assertThat(ReplayTracker.future(w)).isNotDone();
            tracker.cancel(w); // as a timed-out read does
        }
        assertThat(tracker.waiting()).isZero();
        return rate;
    }

    /** Lets backends flush their statistics (PostgreSQL does so at most once a second). */
    private static void settle() throws InterruptedException {
        Thread.sleep(1300);
    }

    private static long serverTransactions(Node replica) throws Exception {
        try (Connection c = replica.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '"
                        + LAB.database() + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
