package dev.runway.backfill.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replay lag of the primary's streaming replicas, read on the primary from {@code pg_stat_replication}.
 * {@code replay_lag} alone is not enough: it is only updated when the replica replays something, so a
 * replica whose replay is stuck keeps showing its last (small) value. So each check also samples
 * {@code pg_current_wal_lsn()} with the time: a replica's lag is at least the age of the oldest sample
 * it has not replayed yet. With no replicas there is no lag. Not thread-safe: one per backfill.
 */
public final class ReplicaLag {
    private static final int MAX_SAMPLES = 10_000;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {lsn bytes, nanoTime}

    /** The worst replica now: its name and lag; null when there are no replicas. */
    public Worst check(Connection c) throws SQLException {
        long now = System.nanoTime();
        Worst worst = null;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, r.application_name,"
                     + " pg_wal_lsn_diff(r.replay_lsn, '0/0')::bigint, (extract(epoch FROM r.replay_lag) * 1000)::bigint"
                     + " FROM (SELECT 1) one LEFT JOIN pg_stat_replication r ON true")) {
            long minReplay = Long.MAX_VALUE;
            boolean first = true;
            while (rs.next()) {
                if (first) {
                    sample(rs.getLong(1), now);
                    first = false;
                }
                String name = rs.getString(2);
                long replay = rs.getLong(3);
                if (name == null || rs.wasNull()) {
                    continue; // no replica, or one that has not reported a replay position yet
                }
                minReplay = Math.min(minReplay, replay);
                long lagMs = Math.max(rs.getLong(4), ageOfOldestAbove(replay, now));
                if (worst == null || lagMs > worst.lag().toMillis()) {
                    worst = new Worst(name, Duration.ofMillis(lagMs));
                }
            }
            while (!samples.isEmpty() && samples.peekFirst()[0] <= minReplay) {
                samples.removeFirst();
            }
        }
        return worst;
    }

    private void sample(long lsn, long now) {
        if (samples.isEmpty() || samples.peekLast()[0] < lsn) {
            samples.addLast(new long[] {lsn, now});
        }
        if (samples.size() > MAX_SAMPLES) {
            samples.removeFirst();
        }
    }

    private long ageOfOldestAbove(long replay, long now) {
        for (long[] s : samples) {
            if (s[0] > replay) {
                return (now - s[1]) / 1_000_000L;
            }
        }
        return 0;
    }

    /** The replica furthest behind. */
    public record Worst(String name, Duration lag) {
    }
}
