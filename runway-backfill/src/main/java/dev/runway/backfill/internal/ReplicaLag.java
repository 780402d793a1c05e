package dev.runway.backfill.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Replay lag of the replicas, from two sources:
 * <ul>
 *   <li>the primary's {@code pg_stat_replication}, when the role may read it (superuser, {@code pg_monitor}
 *       or {@code pg_read_all_stats}; for other roles PostgreSQL hides every column but the pid). It lists
 *       the standbys streaming from the primary, not cascaded ones;</li>
 *   <li>the replicas given by URL, asked directly for {@code pg_last_wal_replay_lsn()} (any role may):
 *       cascaded ones included, since every replica replays the same WAL.</li>
 * </ul>
 * A replica's lag is the age of the oldest primary position it has not replayed: each check samples
 * {@code pg_current_wal_lsn()} with the time. ({@code replay_lag} alone is not enough: it is only
 * updated when the replica replays something, so a replica whose replay is stuck keeps showing its
 * last small value.) A replica given by URL that cannot be reached counts as lagging: nothing says it
 * is not. Not thread-safe: one per backfill run; close it to close the replica connections.
 */
public final class ReplicaLag implements AutoCloseable {
    private static final int MAX_SAMPLES = 10_000;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {lsn bytes, nanoTime}
    private final boolean readsStats;
    private final List<Probe> probes = new ArrayList<>();
    private int hiddenSeen;
    private String hiddenNotice;

    /**
     * @param readsStats true when the session may read {@code pg_stat_replication}'s positions ({@link #readsStats(Connection)})
     * @param replicas   replicas to ask directly
     */
    public ReplicaLag(boolean readsStats, List<DatabaseUrl> replicas) {
        this.readsStats = readsStats;
        replicas.forEach(u -> probes.add(new Probe(u)));
    }

    /** True when this session sees the positions in {@code pg_stat_replication} (superuser, pg_monitor, pg_read_all_stats). */
    public static boolean readsStats(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Standbys streaming from the primary, as counted by {@code pg_stat_replication} (every role sees the rows). */
    public static int standbys(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_replication")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Connects to {@code url} and checks that it is a replica; returns its name ({@code cluster_name}, else host:port).
     *
     * @throws RunwayException USAGE when it is not in recovery; TEMPORARY when it cannot be reached
     */
    public static String checkReplica(DatabaseUrl url) throws SQLException {
        try (Connection c = PgSession.connect(url, "runway backfill lag"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), current_setting('cluster_name')")) {
            rs.next();
            String name = rs.getString(2).isEmpty() ? url.host() + ":" + url.port() : rs.getString(2);
            if (!rs.getBoolean(1)) {
                throw RunwayException.usage("replica " + url + " is not a replica (pg_is_in_recovery() is false): give the"
                        + " replicas' URLs, not the primary's");
            }
            return name;
        }
    }

    /**
     * A notice when standbys appeared that this role cannot see and no replica URL covers (at most once
     * per new count); null otherwise.
     */
    public String hiddenNotice() {
        String n = hiddenNotice;
        hiddenNotice = null;
        return n;
    }

    /** The worst replica now: its name and lag; null when there are no replicas to wait for. */
    public Worst check(Connection c) throws SQLException {
        long now = System.nanoTime();
        Worst worst = null;
        long minReplay = Long.MAX_VALUE;
        int hidden = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, r.application_name,"
                     + " pg_wal_lsn_diff(r.replay_lsn, '0/0')::bigint, (extract(epoch FROM r.replay_lag) * 1000)::bigint,"
                     + " r.pid IS NOT NULL AND r.state IS NULL FROM (SELECT 1) one LEFT JOIN pg_stat_replication r ON true")) {
            boolean first = true;
            while (rs.next()) {
                if (first) {
                    sample(rs.getLong(1), now);
                    first = false;
                }
                if (rs.getBoolean(5)) {
                    hidden++; // a standby whose details this role may not read
                    continue;
                }
                String name = rs.getString(2);
                long replay = rs.getLong(3);
                if (!readsStats || name == null || rs.wasNull()) {
                    continue; // no replica, or one that has not reported a replay position yet
                }
                minReplay = Math.min(minReplay, replay);
                worst = worse(worst, name, Math.max(rs.getLong(4), ageOfOldestAbove(replay, now)));
            }
        }
        if (hidden > probes.size() && hidden > hiddenSeen) {
            hiddenNotice = hidden + " standbys stream from the primary, but this role cannot read their positions"
                    + (probes.isEmpty() ? "" : " and only " + probes.size() + " replica URLs are given")
                    + ": the lag of the others is not waited for (grant pg_monitor, or list them in RUNWAY_REPLICA_URLS)";
        }
        hiddenSeen = Math.max(hiddenSeen, hidden);
        for (Probe p : probes) {
            Long replay = p.replay();
            if (replay == null) {
                worst = new Worst(p.name, null, p.problem); // unknown beats any measured lag
                continue;
            }
            minReplay = Math.min(minReplay, replay);
            worst = worse(worst, p.name, ageOfOldestAbove(replay, now));
        }
        while (!samples.isEmpty() && samples.peekFirst()[0] <= minReplay) {
            samples.removeFirst();
        }
        return worst;
    }

    private static Worst worse(Worst w, String name, long lagMs) {
        return w == null || w.lag() != null && lagMs > w.lag().toMillis() ? new Worst(name, Duration.ofMillis(lagMs), null) : w;
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

    @Override
    public void close() {
        probes.forEach(Probe::close);
    }

    /**
     * The replica furthest behind.
     *
     * @param lag     its lag; null when it could not be measured
     * @param problem why it could not be measured (unreachable, nothing replayed yet); null when measured
     */
    public record Worst(String name, Duration lag, String problem) {
        /** True when it lags more than {@code max}, or cannot be measured. */
        public boolean beyond(Duration max) {
            return lag == null || lag.compareTo(max) > 0;
        }
    }

    /** One replica asked directly; (re)connects as needed. */
    private static final class Probe {
        final DatabaseUrl url;
        String name;
        String problem;
        Connection c;

        Probe(DatabaseUrl url) {
            this.url = url;
            this.name = url.host() + ":" + url.port();
        }

        /** Its replay position in bytes, or null (with {@link #problem}) when it cannot be read. */
        Long replay() {
            try {
                if (c == null || c.isClosed()) {
                    c = PgSession.connect(url, "runway backfill lag");
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('cluster_name')")) {
                        rs.next();
                        name = rs.getString(1).isEmpty() ? name : rs.getString(1);
                    }
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn()::text")) {
                    rs.next();
                    String lsn = rs.getString(1);
                    if (lsn == null) {
                        problem = "no WAL replayed yet";
                        return null;
                    }
                    return Lsn.parse(lsn).value();
                }
            } catch (SQLException | RuntimeException e) {
                close();
                problem = "unreachable: " + e.getMessage().lines().findFirst().orElse("");
                return null;
            }
        }

        void close() {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing a probe connection: nothing to report
                }
                c = null;
            }
        }
    }
}
