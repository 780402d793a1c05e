package dev.runway.spring.boot.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.runway.core.Lsn;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code runway} health component: the primary and the local replica, each asked with one short
 * query through its pool, and the replica's replay lag. UP while this instance can serve reads (the
 * primary or its replica answers), so that Fly keeps routing reads to it while the primary is away;
 * DOWN when neither answers. Each database gets at most {@code timeout} per check; a probe still
 * running is shared by the next check instead of piling up. Thread-safe.
 *
 * <p>Details: {@code region}, {@code primaryRegion}, {@code primary} ({@code status}, {@code error}),
 * {@code replica} ({@code status} as probed: UP, DOWN, NOT_A_REPLICA or NONE; {@code routing}, the
 * data source's own view, e.g. LAGGING; {@code replayLagBytes} behind the primary's flush position;
 * {@code replayLagMs}, the age of the last replayed transaction while the replica has WAL left to
 * replay, else 0).
 */
public final class RunwayHealthIndicator implements HealthIndicator, DisposableBean {
    private static final String PRIMARY_SQL = "SELECT pg_is_in_recovery(), "
            + "CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_flush_lsn()::text END";
    private static final String REPLICA_SQL = "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
            + "CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            + "ELSE floor(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000) END";

    private final RunwayDataSource ds;
    private final long timeoutNanos;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runway-health");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<CompletableFuture<Probe>> primaryProbe = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Probe>> replicaProbe = new AtomicReference<>();

    /** One database's answer: reachable, in recovery, its WAL position (flush or replayed), the replay age. */
    record Probe(boolean up, boolean inRecovery, Lsn lsn, long replayLagMs, String error) {
        static Probe down(String error) {
            return new Probe(false, false, null, 0, error);
        }
    }

    public RunwayHealthIndicator(RunwayDataSource ds, Duration timeout) {
        this.ds = ds;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public Health health() {
        long deadline = System.nanoTime() + timeoutNanos;
        CompletableFuture<Probe> p = probe(primaryProbe, ds.primaryPool(), false);
        CompletableFuture<Probe> r = ds.replicaPool().map(pool -> probe(replicaProbe, pool, true)).orElse(null);
        Probe primary = await(p, deadline);
        Probe replica = r == null ? null : await(r, deadline);

        RegionConfig c = ds.config();
        Map<String, Object> pd = new LinkedHashMap<>();
        pd.put("status", primary.up() && !primary.inRecovery() ? "UP" : primary.up() ? "READ_ONLY" : "DOWN");
        if (primary.error() != null) {
            pd.put("error", primary.error());
        }
        Map<String, Object> rd = new LinkedHashMap<>();
        boolean replicaServes = false;
        if (replica == null) {
            rd.put("status", "NONE");
            rd.put("reason", c.inPrimaryRegion() ? "primary region: every connection goes to the primary" : "no replica configured");
        } else {
            String status = !replica.up() ? "DOWN" : replica.inRecovery() ? "UP" : "NOT_A_REPLICA";
            replicaServes = "UP".equals(status);
            rd.put("status", status);
            rd.put("routing", ds.metrics().replicaState());
            if (replicaServes && primary.lsn() != null && replica.lsn() != null) {
                rd.put("replayLagBytes", Math.max(0, primary.lsn().minus(replica.lsn())));
            }
            if (replicaServes) {
                rd.put("replayLagMs", replica.replayLagMs());
            }
            if (replica.error() != null) {
                rd.put("error", replica.error());
            }
        }
        Health.Builder h = primary.up() || replicaServes ? Health.up() : Health.down();
        if (c.region() != null) {
            h.withDetail("region", c.region()).withDetail("primaryRegion", c.primaryRegion());
        }
        return h.withDetail("primary", pd).withDetail("replica", rd).build();
    }

    private CompletableFuture<Probe> probe(AtomicReference<CompletableFuture<Probe>> slot, HikariDataSource pool, boolean replica) {
        CompletableFuture<Probe> running = slot.get();
        if (running != null && !running.isDone()) {
            return running;
        }
        CompletableFuture<Probe> next = CompletableFuture.supplyAsync(() -> query(pool, replica), probes);
        slot.set(next);
        return next;
    }

    private static Probe query(HikariDataSource pool, boolean replica) {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(replica ? REPLICA_SQL : PRIMARY_SQL)) {
            rs.next();
            String lsn = rs.getString(2);
            return new Probe(true, rs.getBoolean(1), lsn == null ? null : Lsn.parse(lsn), replica ? rs.getLong(3) : 0, null);
        } catch (SQLException | RuntimeException e) {
            return Probe.down(firstLine(e.getMessage()));
        }
    }

    private Probe await(CompletableFuture<Probe> f, long deadline) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Probe.down("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (runway.health.timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.down("interrupted");
        } catch (ExecutionException e) {
            return Probe.down(firstLine(String.valueOf(e.getCause())));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
