package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runway.cancel: stop at the next safe point with MigrationInterruptedException, the history exact, sleeps and long statements cut short. */
class CancelIT extends EngineTestBase {
    Runway runway(Duration retryBase) {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockTimeout(Duration.ofMillis(100))
                .retryBackoff(retryBase, retryBase).build());
    }

    @Test
    void cancelBetweenMigrationsLeavesTheRestPending() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("2", "b", "CREATE TABLE b (id int);", null)
                .add("3", "c", "CREATE TABLE c (id int);", null);
        Runway runway = runway(Duration.ofMillis(10));
        assertThatThrownBy(() -> runway.migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void migrationDone(Migration m, Direction d, Duration took) {
                runway.cancel();
            }
        })).isInstanceOfSatisfying(MigrationInterruptedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY);
            assertThat(e.done()).isEqualTo(1);
            assertThat(e.pending()).isEqualTo(2);
            assertThat(e.getMessage()).startsWith("interrupted: 2 pending (1 of 3 applied by this run)");
        });
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
            assertThat(Db.exists(c, "a")).isTrue();
            assertThat(Db.exists(c, "b")).isFalse();
        }
        // a cancelled Runway stays cancelled; a new one applies the rest
        assertThatThrownBy(runway::migrate).isInstanceOf(MigrationInterruptedException.class);
        assertThat(runway(Duration.ofMillis(10)).migrate().done()).hasSize(2);
    }

    @Test
    void aStatementOutlastingTheGraceIsCancelledAndItsMigrationRolledBack() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("2", "slow", "CREATE TABLE b (id int);\nSELECT pg_sleep(120);", null);
        Runway runway = runway(Duration.ofMillis(10));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runway.migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public boolean liveStatements() {
                return true; // statementDone as each statement ends (else a migration's come together at its end)
            }

            @Override
            public void statementDone(Migration m, dev.runway.core.sql.SqlStatement s, int index, Duration took) {
                if (m.version().text().equals("2")) {
                    runway.cancel(Duration.ofMillis(300)); // while pg_sleep(120) is about to run
                }
            }
        })).isInstanceOfSatisfying(MigrationInterruptedException.class, e -> {
            assertThat(e.pending()).isEqualTo(1);
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.getMessage()).contains("2_slow.sql:3: its statement was cancelled on request");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(100));
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
            assertThat(Db.exists(c, "b")).isFalse();
        }
    }

    @Test
    void aStopCutsTheLockTimeoutBackOffShort() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        runway(Duration.ofMillis(10)).migrate();
        files.add("2", "alter", "ALTER TABLE a ADD COLUMN x int;", null);
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "LOCK TABLE a IN ACCESS SHARE MODE");
            Runway runway = runway(Duration.ofMinutes(10)); // a back-off no test would wait for
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> runway.migrate(MigrateOptions.ALL, new MigrationListener() {
                @Override
                public void retrying(Migration m, int attempt, int maxAttempts, Duration delay, String reason) {
                    runway.cancel();
                }
            })).isInstanceOfSatisfying(MigrationInterruptedException.class, e -> assertThat(e.pending()).isEqualTo(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(5));
            blocker.rollback();
        }
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history ORDER BY 1")).containsExactly("1");
        }
    }
}
