package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transactional migration Runway opens itself travels as one Query message (issue #15), and still reads as if its
 * statements went one by one: the failing statement named with its line, the statements before it reported with
 * their times, the timeouts per statement, the lock checked before anything runs, nothing left by a failure.
 */
class WholeMessageIT extends EngineTestBase {
    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build());
    }

    /** Records statementDone / migrationFailed / migrationDone as text. */
    static class Events implements MigrationListener {
        final List<String> seen = new ArrayList<>();
        final List<Duration> took = new ArrayList<>();

        @Override
        public void statementDone(Migration m, SqlStatement s, int index, Duration d) {
            seen.add("done " + m.version().text() + ":" + s.line());
            took.add(d);
        }

        @Override
        public void migrationFailed(Migration m, SqlStatement s, String error) {
            seen.add("failed " + m.version().text() + ":" + (s == null ? "-" : s.line()));
        }

        @Override
        public void migrationDone(Migration m, Direction d, Duration t) {
            seen.add("ok " + m.version().text());
        }
    }

    @Test
    void theMigrationHistoryRowAndCommitTravelAsOneMessage() throws Exception {
        files.add("1", "seen", "CREATE TABLE seen (q text);\nINSERT INTO seen SELECT current_query();\nCREATE TABLE after (id int);",
                null);
        Events events = new Events();
        runway().migrate(MigrateOptions.ALL, events);
        try (Connection c = connect()) {
            String q = Db.strings(c, "SELECT q FROM seen").get(0);
            // the server saw the statements before and after this one, the history row and the COMMIT in one query
            assertThat(q).startsWith("BEGIN;").contains("CREATE TABLE seen (q text)").contains("CREATE TABLE after (id int)")
                    .contains("runway_schema_history").endsWith("COMMIT");
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history WHERE version = '1' AND status = 'applied'"))
                    .isEqualTo(1);
        }
        assertThat(events.seen).containsExactly("done 1:2", "done 1:3", "done 1:4", "ok 1");
    }

    /**
     * The lock check sets the transaction's timeouts once it has passed (no statement of their own: one result less per
     * migration); every migration but the run's last also commits asynchronously, the last one as the session says.
     */
    @Test
    void theLockCheckSetsTheTimeoutsForTheStatementsAfterIt() throws Exception {
        String seen = "INSERT INTO seen SELECT current_setting('lock_timeout'), current_setting('statement_timeout'),"
                + " current_setting('synchronous_commit'), current_query();";
        files.add("1", "seen", "CREATE TABLE seen (lt text, st text, sc text, q text);\n" + seen, null);
        files.add("2", "again", seen, null);
        Runway r = Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5))
                .lockTimeout(Duration.ofMillis(4321)).statementTimeout(Duration.ofSeconds(98)).build());
        r.migrate(MigrateOptions.ALL, new Events());
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT lt || ' ' || st || ' ' || sc FROM seen")).containsExactly("4321ms 98s off", "4321ms 98s on");
            for (String q : Db.strings(c, "SELECT q FROM seen")) {
                // BEGIN, then the lock check with the settings in it, then the file's first statement
                String[] statements = q.split(";\n");
                assertThat(statements[0]).isEqualTo("BEGIN");
                assertThat(statements[1]).startsWith("SELECT CASE WHEN pg_backend_pid() <> ").contains("set_config('lock_timeout', '4321ms', true)")
                        .contains("set_config('statement_timeout', '98000ms', true)").endsWith("AS \"runway_mark\"");
                assertThat(statements[2]).doesNotContain("set_config");
            }
        }
    }

    @Test
    void aListenerThatShowsStatementsLiveGetsThemOneRoundTripEach() throws Exception {
        files.add("1", "seen", "CREATE TABLE seen (q text);\nINSERT INTO seen SELECT current_query();", null);
        Events events = new Events() {
            @Override
            public boolean liveStatements() {
                return true;
            }
        };
        runway().migrate(MigrateOptions.ALL, events);
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT q FROM seen")).containsExactly("INSERT INTO seen SELECT current_query()");
        }
        assertThat(events.seen).containsExactly("done 1:2", "done 1:3", "ok 1");
    }

    @Test
    void aFailingStatementIsNamedWithItsLineAfterTheOnesBeforeItAndNothingRemains() throws Exception {
        files.add("1", "ok", "CREATE TABLE a (id int);", null)
                .add("2", "bad", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT 1/0;\nCREATE TABLE c (id int);", null);
        Events events = new Events();
        assertThatThrownBy(() -> runway().migrate(MigrateOptions.ALL, events))
                .isInstanceOf(RunwayException.class)
                .hasMessageStartingWith("2_bad.sql:4: ERROR: division by zero [22012]; the migration was rolled back")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        assertThat(events.seen).containsExactly("done 1:2", "ok 1", "done 2:2", "done 2:3", "failed 2:4");
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isTrue();
            assertThat(Db.exists(c, "b")).isFalse();
            assertThat(Db.exists(c, "c")).isFalse();
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
        }
    }

    @Test
    void aSyntaxErrorTheServerFindsBeforeRunningAnyOfItIsNamedAsBefore() throws Exception {
        // the server parses the whole message first: nothing runs, then the statements go one by one and name it
        files.add("1", "typo", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCREAT TABLE b (id int);\nCREATE TABLE c (id int);",
                null);
        Events events = new Events();
        assertThatThrownBy(() -> runway().migrate(MigrateOptions.ALL, events))
                .isInstanceOf(RunwayException.class)
                .hasMessageStartingWith("1_typo.sql:4: ERROR: syntax error at or near \"CREAT\" [42601]; the migration was rolled back")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        assertThat(events.seen).containsExactly("done 1:2", "done 1:3", "failed 1:4");
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isFalse();
            assertThat(Db.count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'runway_schema_history'")).isEqualTo(1);
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
        }
    }

    @Test
    void theStatementTimeoutCoversEachStatementAndTimesAreTheServers() throws Exception {
        // three statements of 0.4 s each pass a 1 s statement_timeout (1.2 s in all); the fourth, alone 1.5 s, does not
        files.raw("1_slow.sql", "-- runway:statement-timeout 1s\n-- runway:up\nSELECT pg_sleep(0.4);\nSELECT pg_sleep(0.4);\n"
                        + "SELECT pg_sleep(0.4);\n")
                .raw("2_slower.sql", "-- runway:statement-timeout 1s\n-- runway:up\nCREATE TABLE d (id int);\nSELECT pg_sleep(1.5);\n");
        Events events = new Events();
        assertThatThrownBy(() -> runway().migrate(MigrateOptions.ALL, events))
                .isInstanceOf(RunwayException.class)
                .hasMessageStartingWith("2_slower.sql:4: ERROR: canceling statement due to statement timeout [57014]");
        assertThat(events.seen).containsExactly("done 1:3", "done 1:4", "done 1:5", "ok 1", "done 2:3", "failed 2:4");
        for (Duration d : events.took.subList(0, 3)) {
            assertThat(d).isBetween(Duration.ofMillis(390), Duration.ofMillis(1000));
        }
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT duration_ms FROM runway_schema_history WHERE version = '1'")).isBetween(1190L, 5000L);
            assertThat(Db.exists(c, "d")).isFalse();
        }
    }

    @Test
    void aMigrationThatReleasedTheLockStopsTheNextOneBeforeAnyOfItRuns() throws Exception {
        files.add("1", "unlock", "SELECT pg_advisory_unlock_all();", null)
                .add("2", "next", "CREATE TABLE e (id int);", null);
        Events events = new Events();
        assertThatThrownBy(() -> runway().migrate(MigrateOptions.ALL, events))
                .isInstanceOf(RunwayException.class)
                .hasMessageContaining("the migration lock vanished from this session")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
        assertThat(events.seen).containsExactly("done 1:2", "ok 1");
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "e")).isFalse();
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
        }
    }

    @Test
    void aStatementOutlastingTheStopGraceIsCancelledNamedAndRolledBack() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("2", "slow", "CREATE TABLE b (id int);\nSELECT pg_sleep(120);", null);
        Runway runway = runway();
        Events events = new Events();
        java.util.concurrent.CompletableFuture<Void> stopper = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (Connection c = connect()) {
                while (Db.count(c, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%runway_mark%'"
                        + " AND state = 'active' AND pid <> pg_backend_pid()") == 0) {
                    Thread.sleep(20);
                }
                runway.cancel(Duration.ofMillis(300)); // as Ctrl-C does, while the message runs pg_sleep(120)
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> runway.migrate(MigrateOptions.ALL, events))
                .isInstanceOfSatisfying(MigrationInterruptedException.class, e -> {
                    assertThat(e.pending()).isEqualTo(1);
                    assertThat(e.sqlState()).isEqualTo("57014");
                    assertThat(e.getMessage()).contains("2_slow.sql:3: its statement was cancelled on request");
                });
        stopper.join();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(100));
        assertThat(events.seen).containsExactly("done 1:2", "ok 1", "done 2:2", "failed 2:3");
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
            assertThat(Db.exists(c, "b")).isFalse();
        }
    }

    @Test
    void theLockChecksServerErrorBecomesTheExceptionTheClientSideCheckThrows() throws Exception {
        try (Connection c = connect(); dev.runway.migrate.lock.MigrationLock lock = dev.runway.migrate.lock.MigrationLock.acquire(c, 42,
                Duration.ofSeconds(1), java.time.Clock.systemUTC(), d -> { }, new dev.runway.core.Backoff(Duration.ofMillis(10),
                        Duration.ofMillis(10), new java.util.Random(1)), (h, w) -> { })) {
            int pid = lock.serverPid();
            java.util.function.Function<String, java.sql.SQLException> error = text -> new java.sql.SQLException(
                    "ERROR: invalid input syntax for type bigint: \"" + text + "\"", "22P02");
            assertThat(lock.guardFailure(error.apply("runway lock check: pid " + (pid + 1) + " held true")))
                    .isInstanceOf(dev.runway.migrate.lock.TransactionPoolingException.class)
                    .hasMessageContaining("the lock was taken on server session " + pid + " but this statement ran on " + (pid + 1));
            assertThat(lock.guardFailure(error.apply("runway lock check: pid " + pid + " held false")))
                    .isInstanceOf(RunwayException.class).hasMessageContaining("the migration lock vanished from this session")
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
            assertThat(lock.guardFailure(error.apply("runway lock check: pid " + pid + " held true"))).isNull();
            assertThat(lock.guardFailure(error.apply("abc"))).isNull();
            // the guard passes on the session that holds the lock, and fails on the server on another one
            assertThat(Db.count(c, lock.guardSql("7", "runway_mark"))).isEqualTo(7);
            try (Connection other = connect()) {
                assertThatThrownBy(() -> Db.count(other, lock.guardSql("7", "runway_mark")))
                        .isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(lock.guardFailure(e))
                                .isInstanceOf(dev.runway.migrate.lock.TransactionPoolingException.class));
            }
        }
    }
}
