package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transaction elsewhere holds a lock on a hot table while a release alters it: traffic on the
 * table is never stalled longer than lock_timeout + 100 ms; the migration succeeds once the blocker
 * ends, or gives up (exit 75) with nothing changed.
 */
class LockTimeoutIT extends EngineTestBase {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);

    List<String> retries = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void hotTable() throws Exception { // runs after EngineTestBase.freshDatabase
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE hot (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int);"
                    + " INSERT INTO hot (v) SELECT g FROM generate_series(1, 1000) g");
        }
        files.add("1", "add_column", "ALTER TABLE hot ADD COLUMN note text;", null);
    }

    Runway runway(int tries) {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockTimeout(LOCK_TIMEOUT).retries(tries)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(400)).build());
    }

    MigrationListener recordRetries() {
        return new MigrationListener() {
            @Override
            public void retrying(dev.runway.migrate.dir.Migration m, int attempt, int max, Duration delay, String reason) {
                retries.add(reason);
            }
        };
    }

    /** Runs reads and writes on the hot table until stopped; returns the slowest one in ms. */
    CompletableFuture<Long> traffic(AtomicBoolean stop, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            long worst = 0;
            try (Connection c = connect(); Statement s = c.createStatement()) {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    s.execute(sql);
                    worst = Math.max(worst, (System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return worst;
        });
    }

    @Test
    void trafficIsNeverStalledLongerThanLockTimeoutAndTheMigrationSucceedsAfterTheBlocker() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Long> reads = traffic(stop, "SELECT count(*) FROM hot");
        CompletableFuture<Long> writes = traffic(stop, "INSERT INTO hot (v) VALUES (1)");
        MigrateResult result;
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT * FROM hot LIMIT 1"); // ACCESS SHARE until commit
            CompletableFuture<MigrateResult> release = CompletableFuture.supplyAsync(() -> runway(30).migrate(MigrateOptions.ALL, recordRetries()));
            Thread.sleep(2500);
            blocker.commit();
            result = release.get();
        } finally {
            stop.set(true);
        }
        assertThat(result.done()).hasSize(1);
        assertThat(retries).hasSizeGreaterThanOrEqualTo(2).allMatch(r -> r.contains("lock_timeout"));
        long limit = LOCK_TIMEOUT.toMillis() + 100;
        assertThat(reads.get()).as("slowest read (ms)").isLessThanOrEqualTo(limit);
        assertThat(writes.get()).as("slowest write (ms)").isLessThanOrEqualTo(limit);
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'hot' AND column_name = 'note'")).isEqualTo(1);
        }
    }

    @Test
    void retriesExhaustedIsTemporaryAndChangesNothing() throws Exception {
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT * FROM hot LIMIT 1");
            assertThatThrownBy(() -> runway(3).migrate(MigrateOptions.ALL, recordRetries()))
                    .isInstanceOf(RunwayException.class).hasMessageContaining("1_add_column.sql:2")
                    .hasMessageContaining("3 tries").hasMessageContaining("nothing was changed")
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY);
            blocker.rollback();
        }
        assertThat(retries).hasSize(2);
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'hot' AND column_name = 'note'")).isZero();
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
        }
    }
}
