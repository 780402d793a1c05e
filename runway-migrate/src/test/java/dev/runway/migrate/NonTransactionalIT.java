package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Non-transactional migrations: progress, failed rows, repair, resume, INVALID index clean-up. */
class NonTransactionalIT extends EngineTestBase {


    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build());
    }

    @Test
    void concurrentlyOnlyFileRunsOutsideATransactionAutomatically() throws Exception {
        files.add("1", "t", "CREATE TABLE t (x int);", null)
                .add("2", "idx", "CREATE INDEX CONCURRENTLY t_x ON t (x);\nCREATE INDEX CONCURRENTLY t_x2 ON t ((x * 2));", null);
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT status || ' ' || statements_done || '/' || statements_total FROM runway_schema_history"
                    + " WHERE version = '2'")).containsExactly("applied 2/2");
        }
    }

    @Test
    void failureRecordsAFailedRowThatBlocksUntilRepairThenResumesAtTheFailedStatement() throws Exception {
        files.add("1", "t", "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1), (1), (2);", null);
        files.raw("2_uniq.sql", "-- runway:transaction none\n-- runway:up\nCREATE TABLE side (id int);\n"
                + "CREATE UNIQUE INDEX CONCURRENTLY t_x_key ON t (x);\nCREATE TABLE after_index (id int);\n");
        assertThatThrownBy(() -> runway().migrate()).isInstanceOf(RunwayException.class)
                .hasMessageContaining("2_uniq.sql:4").hasMessageContaining("23505").hasMessageContaining("runway repair")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT status || ' ' || statements_done || '/' || statements_total FROM runway_schema_history"
                    + " WHERE version = '2'")).containsExactly("failed 1/3");
            // the interrupted build left an INVALID index behind
            assertThat(Db.count(c, "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('t_x_key') AND NOT indisvalid")).isEqualTo(1);
        }
        // every later run refuses, naming the command that recovers
        assertThatThrownBy(() -> runway().migrate()).hasMessageContaining("runway repair")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.INTEGRITY);
        assertThat(runway().status().migrations().get(1).state()).isEqualTo(MigrationState.FAILED);

        RepairResult dry = runway().repair(true, MigrationListener.NONE);
        assertThat(dry.actions()).singleElement().asString().contains("resumes at statement 2 of 3");
        assertThatThrownBy(() -> runway().migrate()).hasMessageContaining("runway repair");

        try (Connection c = connect()) {
            Db.exec(c, "DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE x = 1)");
        }
        runway().repair(false, MigrationListener.NONE);
        List<String> notices = new ArrayList<>();
        runway().migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }
        });
        assertThat(notices).anyMatch(n -> n.contains("resuming at statement 2 of 3"))
                .anyMatch(n -> n.contains("dropped INVALID index t_x_key"));
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('t_x_key') AND indisvalid")).isEqualTo(1);
            assertThat(Db.exists(c, "after_index")).isTrue();
            assertThat(Db.strings(c, "SELECT status FROM runway_schema_history WHERE version = '2'")).containsExactly("applied");
        }
    }

    @Test
    void aRunningRowLeftByACrashResumesWithoutRepair() throws Exception {
        files.raw("1_steps.sql", "-- runway:transaction none\n-- runway:up\nCREATE TABLE s1 (id int);\nCREATE TABLE s2 (id int);\n"
                + "CREATE TABLE s3 (id int);\n");
        String checksum = dev.runway.migrate.dir.MigrationDirectory.load(files.dir, dev.runway.migrate.dir.MigrationKind.SCHEMA)
                .migrations().get(0).checksum();
        try (Connection c = connect()) {
            // What a process killed after statement 2 leaves behind.
            new dev.runway.migrate.history.HistoryTable("public", "runway_schema_history").create(c);
            Db.exec(c, "CREATE TABLE s1 (id int); CREATE TABLE s2 (id int);"
                    + " INSERT INTO runway_schema_history (version, kind, name, checksum, status, statements_done, statements_total)"
                    + " VALUES ('1', 'schema', 'steps', '" + checksum + "', 'running', 2, 3)");
        }
        assertThat(runway().status().migrations().get(0).state()).isEqualTo(MigrationState.PARTIAL);
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "s3")).isTrue();
            assertThat(Db.strings(c, "SELECT status || ' ' || statements_done FROM runway_schema_history")).containsExactly("applied 3");
        }
    }

    @Test
    void aValidIndexBuiltJustBeforeACrashCountsAsDone() throws Exception {
        files.add("1", "t", "CREATE TABLE t (x int);", null)
                .add("2", "idx", "CREATE INDEX CONCURRENTLY t_x ON t (x);\nCREATE INDEX CONCURRENTLY t_y ON t ((x + 1));", null);
        runway().migrate(new MigrateOptions(null, 1, false), MigrationListener.NONE);
        String checksum = runway().status().migrations().get(1).migration().checksum();
        try (Connection c = connect()) {
            Db.exec(c, "CREATE INDEX t_x ON t (x);"
                    + " INSERT INTO runway_schema_history (version, kind, name, checksum, status, statements_done, statements_total)"
                    + " VALUES ('2', 'schema', 'idx', '" + checksum + "', 'running', 0, 2)");
        }
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'")).isEqualTo(2);
        }
    }
}
