package dev.runway.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Node;
import dev.runway.lab.PgBouncer;
import dev.runway.lab.PoolMode;
import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data source with Debian's PgBouncer in front of the primary and of the replica. Transaction
 * pooling with pgjdbc's default prepareThreshold is refused at the first connection with the setting to
 * add (and without the refusal the same workload fails: the control); with {@code prepareThreshold=0}
 * it works: write-then-read cycles, LSN capture, replica waits and the poller, tokens across instances,
 * with 0 failed requests and 0 stale reads. Session pooling works unchanged.
 */
class PoolerDataSourceIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1);
    static final int THREADS = 8;

    @BeforeAll
    static void schema() throws Exception {
        Its.createKv(LAB, THREADS);
    }

    static Node replica() {
        return LAB.lab().node("replica1");
    }

    static RegionConfig.Builder through(PoolMode mode, String extra) {
        PgBouncer p = LAB.lab().pgbouncer(LAB.lab().primary(), mode);
        PgBouncer r = LAB.lab().pgbouncer(replica(), mode);
        DatabaseUrl pu = LAB.url().withHostPort(p.host(), p.port());
        DatabaseUrl ru = LAB.url(replica()).withHostPort(r.host(), r.port());
        if (extra != null) {
            pu = pu.withParam("prepareThreshold", extra);
            ru = ru.withParam("prepareThreshold", extra);
        }
        return Its.config(LAB, replica()).primaryUrl(pu).replicaUrl(ru);
    }

    @Test
    void transactionPoolingWithDefaultPreparedStatementsIsRefusedAtTheFirstConnection() throws Exception {
        try (RunwayDataSource ds = RunwayDataSource.create(through(PoolMode.TRANSACTION, null).build())) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> ds.write(c -> {
                    Its.set(c, 0, 1);
                    return null;
                })).isInstanceOf(SQLException.class).hasMessageContaining("the primary URL postgres://postgres@127.0.0.1:")
                        .hasMessageContaining("transaction-pooling proxy").hasMessageContaining("add prepareThreshold=0 to the URL");
            }
            assertThatThrownBy(() -> ds.read(c -> Its.get(c, 0))).isInstanceOf(SQLException.class)
                    .hasMessageContaining("the replica URL").hasMessageContaining("prepareThreshold=0");
        }
    }

    /** Control: plain pgjdbc through the same pooler with the default prepareThreshold fails this workload. */
    @Test
    void withoutTheRefusalTheDefaultPreparedStatementsFailThroughTransactionPooling() throws Exception {
        PgBouncer p = LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.TRANSACTION);
        DatabaseUrl url = LAB.url().withHostPort(p.host(), p.port());
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    Properties props = url.properties();
                    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), props)) {
                        for (int i = 0; i < 100; i++) {
                            try {
                                Its.set(c, id, i);
                                Its.get(c, id);
                                done.incrementAndGet();
                            } catch (SQLException e) {
                                failed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("PoolerDataSourceIT control: pgjdbc defaults through transaction pooling: %d of %d cycles failed%n", failed.get(),
                failed.get() + done.get());
        assertThat(failed.get()).isPositive();
    }

    @Test
    void transactionPoolingWithPrepareThresholdZeroWorks() throws Exception {
        check(PoolMode.TRANSACTION, "0");
    }

    @Test
    void sessionPoolingWorksWithTheDefaults() throws Exception {
        check(PoolMode.SESSION, null);
    }

    private void check(PoolMode mode, String prepareThreshold) throws Exception {
        int cycles = 2_000 * Its.scale();
        try (RunwayDataSource ds = RunwayDataSource.create(through(mode, prepareThreshold).build());
             RunwayDataSource other = RunwayDataSource.create(through(mode, prepareThreshold).build())) {
            long stale = ReadYourWritesIT.cycles(ds, cycles);
            // a token issued by one instance and honoured by another, each through the pooler
            long staleTokens = 0;
            for (int i = 1; i <= 200; i++) {
                long v = 1_000_000L + i;
                ds.write(c -> {
                    Its.set(c, 0, v);
                    return null;
                });
                String token = ds.issueToken().orElseThrow();
                ConsistencySession s = new ConsistencySession();
                try (RunwayDataSource.Scope scope = other.bind(s)) {
                    assertThat(other.acceptToken(token)).isEqualTo(TokenCheck.ACCEPTED);
                    if (other.read(c -> Its.get(c, 0)) != v) {
                        staleTokens++;
                    }
                }
            }
            DataSourceMetrics m = ds.metrics();
            System.out.printf("PoolerDataSourceIT %s pooling%s: %d write-then-read cycles, 0 failed, %d stale; 200 token reads on a"
                    + " second instance, %d stale; %s%n", mode.ini(), prepareThreshold == null ? "" : " (prepareThreshold=" + prepareThreshold
                    + ")", cycles, stale, staleTokens, m);
            assertThat(stale).isZero();
            assertThat(staleTokens).isZero();
            assertThat(m.readsReplica()).isEqualTo(cycles);
            assertThat(m.waits()).isPositive();
            assertThat(m.replicaPolls()).isPositive();
            assertThat(m.replicaState()).isEqualTo("UP");
        }
    }
}
