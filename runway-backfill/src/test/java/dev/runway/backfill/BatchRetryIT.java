package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that hits lock_timeout is rolled back and tried again under the engine's one retry policy: the
 * migration's tries and the configured jittered back-off (here 40 ms doubling, each wait in [half, full] of its step).
 */
class BatchRetryIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    static final String TOUCH = "-- runway:backfill table=t key=id batch=1000 target=0 max-lag=0\n"
            + "-- runway:up\nUPDATE t SET touched = touched + 1 WHERE id >= :lo AND id < :hi;\n";

    /** Holds a row lock on {@code id = 1} (the first batch's) until closed or released. */
    static final class RowLock implements AutoCloseable {
        final Connection c;

        RowLock(BackfillFixture f) throws SQLException {
            c = f.lab.primary().connect(f.url.database());
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT * FROM t WHERE id = 1 FOR UPDATE");
            }
        }

        void release() {
            try {
                c.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    Runway runway(BackfillFixture f, int retries, List<Duration> slept, Runnable onSleep) {
        return Runway.create(RunwayConfig.builder().url(f.url).dir(f.dir).lockTimeout(Duration.ofMillis(100)).retries(retries)
                .retryBackoff(Duration.ofMillis(40), Duration.ofSeconds(10))
                .sleeper(d -> {
                    slept.add(d);
                    onSleep.run();
                }).build());
    }

    @Test
    void aLockedBatchIsRetriedWithJitteredBackOffUntilTheTriesRunOut() throws SQLException {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(3000).data("1_touch.sql", TOUCH);
        List<Duration> slept = new CopyOnWriteArrayList<>();
        BackfillIT.Events events = new BackfillIT.Events();
        try (RowLock lock = new RowLock(f)) {
            assertThatThrownBy(() -> runway(f, 3, slept, () -> { }).migrateData(MigrateOptions.ALL, events, new Backfiller()))
                    .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY))
                    .hasMessageContaining("55P03");
            lock.release();
        }
        assertThat(slept).hasSize(2); // 3 tries, a wait between each two
        assertThat(slept.get(0).toMillis()).isBetween(20L, 40L);
        assertThat(slept.get(1).toMillis()).isBetween(40L, 80L);
        assertThat(events.waits).containsExactly("batch after the start hit lock_timeout 100ms (try 1/3)",
                "batch after the start hit lock_timeout 100ms (try 2/3)");
        assertThat(f.number("SELECT count(*) FROM t WHERE touched > 0")).isZero();
    }

    @Test
    void aBatchWhoseLockIsReleasedDuringTheWaitSucceedsOnTheNextTry() throws SQLException {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(3000).data("1_touch.sql", TOUCH);
        List<Duration> slept = new CopyOnWriteArrayList<>();
        BackfillIT.Events events = new BackfillIT.Events();
        try (RowLock lock = new RowLock(f)) {
            runway(f, 3, slept, lock::release).migrateData(MigrateOptions.ALL, events, new Backfiller());
        }
        assertThat(slept).hasSize(1);
        assertThat(events.waits).containsExactly("batch after the start hit lock_timeout 100ms (try 1/3)");
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(3000);
    }
}
