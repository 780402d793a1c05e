package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.datasource.DataSourceMetrics;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.lab.junit.LabExtension;
import dev.runway.spring.boot.apps.jdbc.JdbcApp;
import dev.runway.spring.boot.apps.jpa.JpaApp;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The starter in real Spring Boot web applications (JDBC and JPA) on a lab primary and a replica
 * 40 ms behind: no Runway bean definitions, read-only transactions on the replica, and a user's
 * write in one request visible to their next request, also on another instance in another region
 * (the consistency filter's cookie). Control: the same cycles without cookies are stale.
 */
class SpringReadYourWritesIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).delay("replica1", Duration.ofMillis(40));
    private static final int USERS = 4;
    private static final int CYCLES = 500 * Integer.getInteger("runway.it.scale", 1);
    private static Instance jdbcAms;
    private static Instance jdbcSyd;
    private static Instance jpaSyd;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kv (id int PRIMARY KEY, v bigint NOT NULL)");
            st.execute("INSERT INTO kv SELECT g, 0 FROM generate_series(0, 99) g");
            st.execute("CREATE TABLE counters (id int PRIMARY KEY, v bigint NOT NULL)");
            st.execute("INSERT INTO counters SELECT g, 0 FROM generate_series(0, 99) g");
        }
        LAB.lab().waitForReplay(LAB.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
        jdbcAms = Instance.start(JdbcApp.class, Instance.region(LAB, "ams", null));
        jdbcSyd = Instance.start(JdbcApp.class, Instance.region(LAB, "syd", "replica1"));
        jpaSyd = Instance.start(JpaApp.class, Instance.region(LAB, "syd", "replica1"));
    }

    @AfterAll
    static void stop() {
        for (Instance i : new Instance[] {jdbcAms, jdbcSyd, jpaSyd}) {
            if (i != null) {
                i.close();
            }
        }
    }

    @Test
    void theDataSourceIsRunwaysWithoutBeanDefinitions() {
        assertThat(jdbcSyd.bean(DataSource.class)).isInstanceOf(RunwayDataSource.class);
        assertThat(jpaSyd.bean(DataSource.class)).isInstanceOf(RunwayDataSource.class);
        assertThat(jdbcAms.bean(RunwayDataSource.class).config().hasReplica()).isFalse();
    }

    @Test
    void jdbcWriteOnOneInstanceIsReadOnAnotherRegionsReplica() throws Exception {
        RunwayDataSource syd = jdbcSyd.bean(RunwayDataSource.class);
        var before = syd.metrics();
        AtomicInteger onPrimary = new AtomicInteger();
        int stale = cycles(USERS, CYCLES, Instance::user, (user, id, v) -> {
            assertThat(jdbcAms.post(user, "/kv/" + id + "?v=" + v).statusCode()).isEqualTo(200);
            JsonNode r = Instance.json(ok(jdbcSyd.get(user, "/kv/" + id)));
            if (!r.get("on_replica").asBoolean()) {
                onPrimary.incrementAndGet();
            }
            return r.get("v").asLong() == v;
        });
        var after = syd.metrics();
        System.out.printf("starter JDBC: %d write->read cycles ams -> syd (replica 40 ms behind): %d stale, %d read-only "
                + "transactions on the primary (%d fallbacks counted)%n", CYCLES, stale, onPrimary.get(), after.fallbacks() - before.fallbacks());
        assertThat(stale).as("stale reads of %d write->read cycles across instances", CYCLES).isZero();
        assertRoutedToReplica(onPrimary.get(), before, after, CYCLES);
        assertThat(after.tokensAccepted() - before.tokensAccepted()).isGreaterThanOrEqualTo(CYCLES);
    }

    @Test
    void withoutTheCookieTheSameCyclesAreStale() throws Exception {
        int cycles = 50;
        int stale = cycles(1, cycles, Instance::forgetful, (user, id, v) -> {
            jdbcAms.post(user, "/kv/" + id + "?v=" + v);
            return Instance.json(ok(jdbcSyd.get(user, "/kv/" + id))).get("v").asLong() == v;
        });
        System.out.printf("starter JDBC control, no cookie: %d of %d stale%n", stale, cycles);
        assertThat(stale).as("the check can fail: without the token the replica is read at once").isGreaterThan(cycles / 2);
    }

    @Test
    void jpaWriteInOneRequestIsReadInTheNext() throws Exception {
        RunwayDataSource syd = jpaSyd.bean(RunwayDataSource.class);
        var before = syd.metrics();
        AtomicInteger onPrimary = new AtomicInteger();
        int stale = cycles(USERS, CYCLES, Instance::user, (user, id, v) -> {
            assertThat(jpaSyd.post(user, "/counters/" + id + "?v=" + v).statusCode()).isEqualTo(200);
            JsonNode r = Instance.json(ok(jpaSyd.get(user, "/counters/" + id)));
            if (!r.get("on_replica").asBoolean()) {
                onPrimary.incrementAndGet();
            }
            boolean fresh = r.get("v").asLong() == v;
            // The repository's own read-only transaction, with no service around it.
            return fresh && Long.parseLong(ok(jpaSyd.get(user, "/repo/" + id)).body()) == v;
        });
        var after = syd.metrics();
        System.out.printf("starter JPA: %d write->read cycles on syd (replica 40 ms behind): %d stale, %d read-only "
                + "transactions on the primary (%d fallbacks counted)%n", CYCLES, stale, onPrimary.get(), after.fallbacks() - before.fallbacks());
        assertThat(stale).as("stale reads of %d JPA write->read cycles", CYCLES).isZero();
        assertRoutedToReplica(onPrimary.get(), before, after, 2 * CYCLES);
    }

    /**
     * Read-only transactions go to the replica; the only exception is a fallback the data source
     * counted (the replica lagged past the wait timeout, which a loaded machine can cause).
     */
    private static void assertRoutedToReplica(int onPrimary, DataSourceMetrics before, DataSourceMetrics after, int reads) {
        assertThat((long) onPrimary).as("read-only transactions on the primary without a counted fallback")
                .isLessThanOrEqualTo(after.fallbacks() - before.fallbacks());
        assertThat(after.readsReplica() - before.readsReplica()).as("reads on the replica").isGreaterThanOrEqualTo(reads / 2);
    }

    @Test
    void aWriteInAReadOnlyTransactionFailsAndIsReplayedInThePrimaryRegion() {
        HttpClient user = Instance.user();
        HttpResponse<String> jdbc = jdbcSyd.post(user, "/kv/1/read-only?v=99");
        assertThat(jdbc.statusCode()).isEqualTo(409);
        assertThat(jdbc.headers().firstValue("fly-replay")).hasValue("region=ams;state=captured_write");
        HttpResponse<String> jpa = jpaSyd.post(user, "/counters/500/read-only?v=1");
        assertThat(jpa.statusCode()).isEqualTo(409);
        assertThat(jpa.headers().firstValue("fly-replay")).hasValue("region=ams;state=captured_write");
        try (Connection c = LAB.connect(); Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM counters WHERE id = 500")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing committed").isZero();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One write->read cycle of a user on key {@code id} with value {@code v}; true when the read saw it. */
    interface Cycle {
        boolean run(HttpClient user, int id, long v) throws Exception;
    }

    /** Runs {@code total} cycles spread over {@code users} concurrent users; returns the stale count. */
    static int cycles(int users, int total, java.util.function.Supplier<HttpClient> client, Cycle cycle) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(users);
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                int id = u;
                fs.add(pool.submit(() -> {
                    HttpClient user = client.get();
                    for (int n; (n = next.incrementAndGet()) <= total; ) {
                        if (!cycle.run(user, id, n)) {
                            stale.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return stale.get();
    }

    static HttpResponse<String> ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("HTTP status of %s: %s", r.uri(), r.body()).isEqualTo(200);
        return r;
    }
}
