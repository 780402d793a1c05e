package dev.runway.datasource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Node;
import dev.runway.lab.PgBouncer;
import dev.runway.lab.PoolMode;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The benchmark harness for the data source through Debian's PgBouncer (not a test: it asserts nothing):
 * the routing overhead on the read path and the added latency of read-your-writes, each with direct
 * connections, through session pooling and through transaction pooling ({@code prepareThreshold=0}),
 * measured as {@link DataSourceBenchIT} does. Run with
 * {@code mvn -q -B -pl runway-datasource -am verify -Drunway.bench=true -Dtest=PoolerBenchIT
 * -Dsurefire.failIfNoSpecifiedTests=false}; writes {@code runway-datasource/target/pooler-bench.md}.
 */
@EnabledIfSystemProperty(named = "runway.bench", matches = "true")
class PoolerBenchIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).exclusive();
    private static final StringBuilder OUT = new StringBuilder();
    private static final int PAIRS = 20_000;
    private static final int CYCLES = 300;

    /** One way to reach the servers: its name and the primary and replica URLs. */
    record Path3(String name, DatabaseUrl primary, DatabaseUrl replica, List<Long> pids) {
    }

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, 2);
    }

    static Path3 path(String name, PoolMode mode) {
        Node replica = LAB.lab().node("replica1");
        if (mode == null) {
            return new Path3(name, LAB.url(), LAB.url(replica), List.of());
        }
        PgBouncer p = LAB.lab().pgbouncer(LAB.lab().primary(), mode);
        PgBouncer r = LAB.lab().pgbouncer(replica, mode);
        DatabaseUrl pu = LAB.url().withHostPort(p.host(), p.port());
        DatabaseUrl ru = LAB.url(replica).withHostPort(r.host(), r.port());
        if (mode == PoolMode.TRANSACTION) {
            pu = pu.withParam("prepareThreshold", "0");
            ru = ru.withParam("prepareThreshold", "0");
        }
        return new Path3(name, pu, ru, List.of(p.pid(), r.pid()));
    }

    @Test
    void run() throws Exception {
        OUT.append("# runway-datasource through PgBouncer\n\nPostgreSQL ").append(LAB.lab().version()).append(", PgBouncer 1.18 (Debian),")
                .append(" lab on loopback (primary + replica1), ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores shared with other builds (load average at start: ").append(DataSourceBenchIT.loadAverage()).append(").\n\n");
        List<Path3> paths = List.of(path("direct", null), path("PgBouncer session pooling", PoolMode.SESSION),
                path("PgBouncer transaction pooling (prepareThreshold=0)", PoolMode.TRANSACTION));
        OUT.append("## Routing overhead on the read path\n\nOne thread; per read: getConnection, setReadOnly(true), prepare + execute a"
                + " primary-key SELECT, close;\n").append(String.format("%,d reads on each data source of a path, interleaved one by one", PAIRS))
                .append(" (plain, Runway, Runway, plain, ...) after a warm-up of 15,000 each; client JVM pinned to CPU 0, the replica's")
                .append(" server processes and the PgBouncers to CPU 1.\n\n")
                .append("| path | plain HikariCP mean | p50 | RunwayDataSource mean | p50 | overhead mean | overhead p50 |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Path3 p : paths) {
            overhead(p);
        }
        OUT.append("\n## Added latency of read-your-writes over the true replay time\n\nPer cycle: an autocommit UPDATE through the")
                .append(" DataSource (primary through the path), then a read that waits for it (replica through the path); an observer")
                .append(" spins `pg_last_wal_replay_lsn()` on a direct connection to the replica from the commit on and notes when it")
                .append(" has replayed the position. Added = read released minus that moment. ").append(CYCLES).append(" cycles each.\n\n")
                .append("| path | true replay p50 | added p50 | added p90 | added p99 | added max |\n|---|---|---|---|---|---|\n");
        for (Path3 p : paths) {
            added(p);
        }
        OUT.append("\nLoad average at the end: ").append(DataSourceBenchIT.loadAverage()).append(".\n");
        Files.writeString(Path.of("target", "pooler-bench.md"), OUT.toString());
        System.out.println(OUT);
    }

    private static void overhead(Path3 path) throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(path.replica().jdbcUrl());
        hc.setDataSourceProperties(path.replica().properties());
        hc.setMaximumPoolSize(10);
        long[] plainLat = new long[PAIRS];
        long[] runwayLat = new long[PAIRS];
        try (HikariDataSource plain = new HikariDataSource(hc);
             RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, null).primaryUrl(path.primary()).replicaUrl(path.replica()).build())) {
            for (int i = 0; i < 3; i++) {
                DataSourceBenchIT.readLoop(plain, 5000);
                DataSourceBenchIT.readLoop(ds, 5000);
            }
            DataSourceBenchIT.pin("0", ProcessHandle.current().pid(), true);
            List<Long> server = new ArrayList<>(path.pids());
            server.addAll(replicaBackends());
            for (long pid : server) {
                DataSourceBenchIT.pin("1", pid, false);
            }
            for (int i = 0; i < PAIRS; i++) {
                boolean plainFirst = (i & 1) == 0;
                for (int k = 0; k < 2; k++) {
                    boolean isPlain = plainFirst == (k == 0);
                    long t0 = System.nanoTime();
                    DataSourceBenchIT.readOnce(isPlain ? plain : ds);
                    long t = System.nanoTime() - t0;
                    (isPlain ? plainLat : runwayLat)[i] = t;
                }
            }
            DataSourceBenchIT.pin("0-" + (Runtime.getRuntime().availableProcessors() - 1), ProcessHandle.current().pid(), true);
        }
        double p = Arrays.stream(plainLat).average().orElse(0) / 1000.0;
        double w = Arrays.stream(runwayLat).average().orElse(0) / 1000.0;
        Arrays.sort(plainLat);
        Arrays.sort(runwayLat);
        double p50 = DataSourceBenchIT.pct(plainLat, 50) / 1000.0;
        double w50 = DataSourceBenchIT.pct(runwayLat, 50) / 1000.0;
        OUT.append(String.format("| %s | %.1f us | %.1f us | %.1f us | %.1f us | %+.1f %% | %+.1f %% |%n", path.name(), p, p50, w, w50,
                (w / p - 1) * 100, (w50 / p50 - 1) * 100));
    }

    /** Every client backend of the replica right now. */
    private static List<Long> replicaBackends() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (Connection c = LAB.lab().node("replica1").connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids;
    }

    private static void added(Path3 path) throws Exception {
        Node replica = LAB.lab().node("replica1");
        try (RunwayDataSource ds = RunwayDataSource.create(Its.config(LAB, null).primaryUrl(path.primary()).replicaUrl(path.replica()).build());
             Connection observer = LAB.connect(replica)) {
            DataSourceBenchIT.measure(ds, observer, 50, false); // warm-up
            long[][] r = DataSourceBenchIT.measure(ds, observer, CYCLES, false);
            long[] truth = r[0];
            long[] added = r[1];
            Arrays.sort(truth);
            Arrays.sort(added);
            OUT.append(String.format("| %s | %s | %s | %s | %s | %s |%n", path.name(), DataSourceBenchIT.ms(DataSourceBenchIT.pct(truth, 50)),
                    DataSourceBenchIT.ms(DataSourceBenchIT.pct(added, 50)), DataSourceBenchIT.ms(DataSourceBenchIT.pct(added, 90)),
                    DataSourceBenchIT.ms(DataSourceBenchIT.pct(added, 99)), DataSourceBenchIT.ms(added[added.length - 1])));
        }
    }
}
