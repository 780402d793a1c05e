package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.DelayProxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The network between the release machine and the database fails mid-migration (the lab proxy cuts
 * the connection): the run exits 75, the server ends the orphaned session (so it stops migrating and
 * its lock goes), and the next run completes with nothing applied twice.
 */
class ConnectionCutIT extends EngineTestBase {


    Runway runway(DatabaseUrl url) {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(20)).build());
    }

    void cutDuringSleep(DelayProxy proxy, DatabaseUrl viaProxy) throws Exception {
        CompletableFuture<Void> cut = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            proxy.cutConnections();
        });
        assertThatThrownBy(() -> runway(viaProxy).migrate()).isInstanceOf(RunwayException.class)
                .hasMessageContaining("lost the database connection")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY);
        cut.get();
    }

    @Test
    void transactionalMigrationCutMidWayIsRolledBackAndReappliedOnce() throws Exception {
        files.add("1", "log", "CREATE TABLE log (v text);", null)
                .add("2", "slow", "INSERT INTO log VALUES ('2');\nSELECT pg_sleep(3);\nCREATE TABLE t2 (id int);", null);
        try (DelayProxy proxy = LAB.lab().proxy(LAB.lab().primary(), Duration.ZERO)) {
            DatabaseUrl viaProxy = url.withHostPort("127.0.0.1", proxy.port());
            cutDuringSleep(proxy, viaProxy);
        }
        long t0 = System.nanoTime();
        runway(url).migrate();
        // The orphan was aborted by client_connection_check_interval (1s), well before its 3 s sleep ended.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        try (Connection c = LAB.lab().primary().connect(url.database())) {
            assertThat(Db.strings(c, "SELECT v FROM log ORDER BY v")).containsExactly("2");
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isEqualTo(2);
        }
    }

    @Test
    void nonTransactionalMigrationCutMidWayResumesAfterTheLastCompletedStatement() throws Exception {
        files.add("1", "log", "CREATE TABLE log (v text);", null)
                .raw("2_steps.sql", "-- runway:transaction none\n-- runway:up\nINSERT INTO log VALUES ('a');\nSELECT pg_sleep(3);\n"
                        + "INSERT INTO log VALUES ('b');\n");
        try (DelayProxy proxy = LAB.lab().proxy(LAB.lab().primary(), Duration.ZERO)) {
            DatabaseUrl viaProxy = url.withHostPort("127.0.0.1", proxy.port());
            cutDuringSleep(proxy, viaProxy);
        }
        assertThat(runway(url).status().migrations().get(1).state()).isEqualTo(MigrationState.PARTIAL);
        runway(url).migrate();
        try (Connection c = LAB.lab().primary().connect(url.database())) {
            assertThat(Db.strings(c, "SELECT v FROM log ORDER BY v")).containsExactly("a", "b");
            assertThat(Db.strings(c, "SELECT status || ' ' || statements_done FROM runway_schema_history WHERE version = '2'"))
                    .containsExactly("applied 3");
        }
    }
}
