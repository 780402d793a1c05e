package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Files that manage their own transactions, as golang-migrate, dbmate and sql-migrate users write them:
 * one BEGIN ... COMMIT block is Runway's transaction; several blocks, statements between them and the
 * COMMIT; ... BEGIN; escape run unit by unit with progress per unit; ROLLBACK, savepoints, SET LOCAL and
 * a file-level SET lock_timeout are honoured.
 */
class OwnTransactionsIT extends EngineTestBase {

    Runway runway(int tries) {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5))
                .lockTimeout(Duration.ofMillis(200)).retries(tries).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build());
    }

    String history(Connection c, String version) throws Exception {
        return String.join(",", Db.strings(c, "SELECT status || ' ' || statements_done || '/' || statements_total"
                + " FROM runway_schema_history WHERE version = '" + version + "'"));
    }

    @Test
    void oneBlockIsRunwaysTransactionWithTheHistoryRowInside() throws Exception {
        files.raw("1_t.up.sql", "BEGIN;\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nCOMMIT;\n");
        runway(1).migrate();
        try (Connection c = connect()) {
            // the table and the history row were written by the same transaction: the file's own block
            assertThat(Db.strings(c, "SELECT xmin::text FROM pg_class WHERE oid = 't'::regclass"))
                    .isEqualTo(Db.strings(c, "SELECT xmin::text FROM runway_schema_history WHERE version = '1'"));
            assertThat(history(c, "1")).isEqualTo("applied 0/0");
        }
    }

    @Test
    void aFailureInsideTheOneBlockLeavesNothingBehind() throws Exception {
        files.raw("1_t.up.sql", "BEGIN;\nCREATE TABLE t (id int);\nSELECT 1/0;\nCOMMIT;\n");
        assertThatThrownBy(() -> runway(1).migrate()).isInstanceOf(RunwayException.class).hasMessageContaining("1_t.up.sql:3")
                .hasMessageContaining("nothing was changed")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "t")).isFalse();
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
            // the session is usable again: the file's block was rolled back
            assertThat(runway(1).status().migrations()).hasSize(1);
        }
    }

    @Test
    void theOneBlockIsRetriedWholeOnLockTimeout() throws Exception {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE hot (id int)");
        }
        files.raw("1_t.up.sql", "BEGIN ISOLATION LEVEL REPEATABLE READ;\nCREATE TABLE log (v text);\n"
                + "INSERT INTO log SELECT current_setting('transaction_isolation');\nALTER TABLE hot ADD COLUMN x int;\nCOMMIT;\n");
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT * FROM hot");
            CompletableFuture<MigrateResult> run = CompletableFuture.supplyAsync(() -> runway(50).migrate());
            Thread.sleep(1000);
            blocker.commit();
            assertThat(run.get().done()).hasSize(1);
        }
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT v FROM log")).containsExactly("repeatable read");
        }
    }

    @Test
    void aLockTimeoutRetriesOnlyTheUnitThatHitIt() throws Exception {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE hot (id int); CREATE TABLE log (v text)");
        }
        files.raw("1_t.sql", "-- runway:up\nBEGIN;\nINSERT INTO log VALUES ('first block');\nCOMMIT;\n"
                + "BEGIN;\nINSERT INTO log VALUES ('second block');\nALTER TABLE hot ADD COLUMN x int;\nCOMMIT;\n");
        java.util.List<String> retries = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        MigrationListener listener = new MigrationListener() {
            @Override
            public void retrying(dev.runway.migrate.dir.Migration m, int attempt, int max, Duration delay, String reason) {
                retries.add(reason);
            }
        };
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT * FROM hot");
            CompletableFuture<MigrateResult> run = CompletableFuture.supplyAsync(() -> runway(50).migrate(MigrateOptions.ALL, listener));
            Thread.sleep(1000);
            blocker.commit();
            run.get();
        }
        assertThat(retries).isNotEmpty().allMatch(r -> r.contains("line 7"));
        try (Connection c = connect()) {
            // the first block committed once; the second was rolled back on each timeout and committed once
            assertThat(Db.strings(c, "SELECT v FROM log ORDER BY v")).containsExactly("first block", "second block");
            assertThat(history(c, "1")).isEqualTo("applied 7/7");
        }
    }

    @Test
    void severalBlocksRunUnitByUnitAndAFailureKeepsTheCommittedOnes() throws Exception {
        files.raw("1_t.sql", "-- runway:up\nBEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\n"
                + "INSERT INTO a VALUES (2);\n"
                + "BEGIN;\nINSERT INTO a VALUES (3);\nINSERT INTO a VALUES (1/(SELECT count(*) FROM a WHERE id = 4));\nCOMMIT;\n"
                + "INSERT INTO a VALUES (5);\n");
        assertThatThrownBy(() -> runway(1).migrate()).isInstanceOf(RunwayException.class).hasMessageContaining("1_t.sql:9")
                .hasMessageContaining("statements 1..5 of 10 stay applied").hasMessageContaining("runway repair")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT id::text FROM a ORDER BY id")).containsExactly("1", "2");
            assertThat(history(c, "1")).isEqualTo("failed 5/10");
            Db.exec(c, "INSERT INTO a VALUES (4)");
        }
        runway(1).repair(false, MigrationListener.NONE);
        runway(1).migrate();
        try (Connection c = connect()) {
            // resumed at the failed block: no unit ran twice
            assertThat(Db.strings(c, "SELECT id::text FROM a ORDER BY id")).containsExactly("1", "1", "2", "3", "4", "5");
            assertThat(history(c, "1")).isEqualTo("applied 10/10");
        }
    }

    @Test
    void theCommitBeginEscapeRunsAnIndexBuildOutsideTheRunnersTransaction() throws Exception {
        files.raw("1_t.sql", "-- runway:up\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY a_id ON a (id);\nBEGIN;\n"
                + "INSERT INTO a VALUES (1);\n");
        runway(1).migrate();
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM pg_index WHERE indexrelid = 'a_id'::regclass AND indisvalid")).isEqualTo(1);
            assertThat(Db.count(c, "SELECT count(*) FROM a")).isEqualTo(1);
            assertThat(history(c, "1")).isEqualTo("applied 5/5");
        }
    }

    @Test
    void rollbackSavepointsAndSetLocalAreHonoured() throws Exception {
        files.raw("1_t.sql", "-- runway:up\nCREATE TABLE a (id int, lt text);\n"
                + "BEGIN;\nINSERT INTO a VALUES (1);\nROLLBACK;\n"
                + "BEGIN;\nSET LOCAL lock_timeout = '1234ms';\nINSERT INTO a VALUES (2, current_setting('lock_timeout'));\nSAVEPOINT s;\n"
                + "INSERT INTO a VALUES (3);\nROLLBACK TO SAVEPOINT s;\nRELEASE SAVEPOINT s;\nCOMMIT;\n"
                + "INSERT INTO a VALUES (4, current_setting('lock_timeout'));\n");
        runway(1).migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT id || ' ' || coalesce(lt, '') FROM a ORDER BY id")).containsExactly("2 1234ms", "4 200ms");
        }
    }

    @Test
    void aFileLevelSetLockTimeoutWinsForEveryLaterUnit() throws Exception {
        files.raw("1_t.sql", "-- runway:up\nSET lock_timeout = '7s';\nCREATE TABLE a (id int, lt text);\n"
                + "BEGIN;\nINSERT INTO a VALUES (1, current_setting('lock_timeout'));\nCOMMIT;\n"
                + "CREATE INDEX CONCURRENTLY a_id ON a (id);\nINSERT INTO a VALUES (2, current_setting('lock_timeout'));\n");
        files.raw("2_t.sql", "-- runway:up\nSET lock_timeout = '3s';\nBEGIN;\nINSERT INTO a VALUES (3, current_setting('lock_timeout'));\n"
                + "COMMIT;\n");
        files.raw("3_t.sql", "-- runway:lock-timeout 5s\n-- runway:up\nBEGIN;\nINSERT INTO a VALUES (4, current_setting('lock_timeout'));\n"
                + "COMMIT;\n");
        runway(1).migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT id || ' ' || lt FROM a ORDER BY id")).containsExactly("1 7s", "2 7s", "3 3s", "4 5s");
        }
    }

    @Test
    void aResumedRunRestoresTheFilesSessionSettingsAndSkipsDoneUnits() throws Exception {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE SCHEMA s1; CREATE TABLE hot (id int)");
        }
        files.raw("1_t.sql", "-- runway:up\nSET search_path = s1, public;\nBEGIN;\nCREATE TABLE x1 (id int);\nCOMMIT;\n"
                + "BEGIN;\nALTER TABLE hot ADD COLUMN y int;\nCOMMIT;\nBEGIN;\nCREATE TABLE x2 (id int);\nCOMMIT;\n");
        try (Connection blocker = connect()) {
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT * FROM hot");
            assertThatThrownBy(() -> runway(2).migrate()).isInstanceOf(RunwayException.class).hasMessageContaining("1_t.sql:7")
                    .hasMessageContaining("run again to resume")
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY);
            blocker.rollback();
        }
        try (Connection c = connect()) {
            assertThat(history(c, "1")).isEqualTo("running 4/10");
        }
        runway(1).migrate();
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "s1.x1")).isTrue();
            assertThat(Db.exists(c, "s1.x2")).as("search_path set again before the resumed units").isTrue();
            assertThat(history(c, "1")).isEqualTo("applied 10/10");
        }
    }

    @Test
    void downSectionsRunTheirOwnBlocks() throws Exception {
        files.raw("1_t.up.sql", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");
        files.raw("1_t.down.sql", "BEGIN;\nDROP TABLE a;\nCOMMIT;\n");
        files.raw("2_t.up.sql", "CREATE INDEX CONCURRENTLY a_id ON a (id);\n");
        files.raw("2_t.down.sql", "COMMIT;\nDROP INDEX CONCURRENTLY a_id;\nBEGIN;\n");
        runway(1).migrate();
        runway(1).rollback(new MigrateOptions(dev.runway.migrate.dir.MigrationVersion.parse("0"), 0, false), MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isFalse();
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
        }
    }
}
