package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine against a real server: apply, status, rollback, integrity, data path, baseline. */
class MigrateIT extends EngineTestBase {


    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build());
    }

    @Test
    void appliesInOrderRecordsHistoryAndIsANoOpTheSecondTime() throws Exception {
        files.add("2", "orders", "CREATE TABLE orders (id int REFERENCES users (id));", "DROP TABLE orders;")
                .add("1", "users", "CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1);", "DROP TABLE users;")
                .add("10", "index", "CREATE INDEX CONCURRENTLY orders_id_idx ON orders (id);", "DROP INDEX CONCURRENTLY orders_id_idx;");
        List<String> events = new ArrayList<>();
        MigrateResult r = runway().migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void migrationDone(dev.runway.migrate.dir.Migration m, Direction d, Duration took) {
                events.add(m.version().text());
            }
        });
        assertThat(events).containsExactly("1", "2", "10");
        assertThat(r.statements()).isEqualTo(4);
        assertThat(r.currentVersion()).isEqualTo("10");
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version || ':' || status || ':' || kind FROM runway_schema_history ORDER BY applied_at, version"))
                    .containsExactlyInAnyOrder("1:applied:schema", "2:applied:schema", "10:applied:schema");
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history WHERE applied_by LIKE 'host=%' AND runway_version IS NOT NULL")).isEqualTo(3);
            assertThat(Db.count(c, "SELECT count(*) FROM pg_index WHERE indexrelid = 'orders_id_idx'::regclass AND indisvalid")).isEqualTo(1);
        }
        MigrateResult again = runway().migrate();
        assertThat(again.done()).isEmpty();
        StatusResult s = runway().status();
        assertThat(s.pending()).isZero();
        assertThat(s.migrations()).extracting(MigrationStatus::state).containsOnly(MigrationState.APPLIED);
    }

    @Test
    void historyRowsKeepNamesWithQuotesWhateverTheSessionsStringSyntax() throws Exception {
        // the history row is written as SQL text in the COMMIT's round trip, after the migration's own SET
        files.add("1", "o'brien", "SET standard_conforming_strings = off;\nCREATE TABLE q1 (id int);", "DROP TABLE q1;")
                .add("2", "it's", "SET standard_conforming_strings = off;\nCREATE TABLE q2 (id int);", "DROP TABLE q2;");
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT name FROM runway_schema_history ORDER BY version")).containsExactly("o'brien", "it's");
        }
        assertThat(runway().status().migrations()).extracting(MigrationStatus::state).containsOnly(MigrationState.APPLIED);
        runway().rollback(new MigrateOptions(MigrationVersion.parse("1"), 0, false), MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
            assertThat(Db.exists(c, "q2")).isFalse();
        }
    }

    @Test
    void failedTransactionalMigrationLeavesNothingBehind() throws Exception {
        files.add("1", "ok", "CREATE TABLE a (id int);", null)
                .add("2", "bad", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT 1/0;", null);
        assertThatThrownBy(() -> runway().migrate())
                .isInstanceOf(RunwayException.class)
                .hasMessageContaining("2_bad.sql:4").hasMessageContaining("division by zero").hasMessageContaining("[22012]")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isTrue();
            assertThat(Db.exists(c, "b")).isFalse();
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
        }
        assertThat(runway().status().pending()).isEqualTo(1);
    }

    @Test
    void editedAppliedFileIsAnIntegrityErrorAndNothingRuns() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        runway().migrate();
        files.add("1", "a", "CREATE TABLE a (id bigint);", null).add("2", "b", "CREATE TABLE b (id int);", null);
        assertThatThrownBy(() -> runway().migrate()).isInstanceOf(RunwayException.class)
                .hasMessageContaining("1_a.sql").hasMessageContaining("changed after it was applied")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.INTEGRITY);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "b")).isFalse();
        }
        assertThat(runway().status().migrations()).extracting(MigrationStatus::state)
                .containsExactly(MigrationState.CHECKSUM_CHANGED, MigrationState.PENDING);
    }

    @Test
    void outOfOrderIsRefusedUnlessAllowed() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("3", "c", "CREATE TABLE c (id int);", null);
        runway().migrate();
        files.add("2", "b", "CREATE TABLE b (id int);", null);
        assertThatThrownBy(() -> runway().migrate()).hasMessageContaining("2_b.sql").hasMessageContaining("--allow-out-of-order");
        Runway allowed = Runway.create(RunwayConfig.builder().url(url).dir(files.dir).allowOutOfOrder(true).build());
        assertThat(allowed.migrate().done()).extracting(m -> m.version().text()).containsExactly("2");
    }

    @Test
    void databaseAheadOfTheFilesIsFineForAnOlderRelease() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("2", "b", "CREATE TABLE b (id int);", null);
        runway().migrate();
        MigrationFiles older = new MigrationFiles(tmp.resolve("older"));
        older.add("1", "a", "CREATE TABLE a (id int);", null);
        Runway old = Runway.create(RunwayConfig.builder().url(url).dir(older.dir).build());
        assertThat(old.migrate().done()).isEmpty();
        StatusResult s = old.status();
        assertThat(s.hasProblems()).isFalse();
        assertThat(s.migrations()).extracting(MigrationStatus::state).containsExactly(MigrationState.APPLIED, MigrationState.FUTURE);
    }

    @Test
    void rollbackRunsDownSectionsNewestFirst() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", "DROP TABLE a;")
                .add("2", "b", "CREATE TABLE b (id int);", "DROP TABLE b;")
                .add("3", "c", "CREATE TABLE c (id int);", "DROP TABLE c;");
        runway().migrate();
        MigrateResult r = runway().rollback(new MigrateOptions(MigrationVersion.parse("1"), 0, false), MigrationListener.NONE);
        assertThat(r.done()).extracting(m -> m.version().text()).containsExactly("3", "2");
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isTrue();
            assertThat(Db.exists(c, "b")).isFalse();
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history")).containsExactly("1");
        }
        runway().rollback(new MigrateOptions(MigrationVersion.parse("0"), 0, false), MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isFalse();
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
        }
    }

    @Test
    void rollbackWithoutDownSectionChangesNothing() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", "DROP TABLE a;").add("2", "b", "CREATE TABLE b (id int);", null);
        runway().migrate();
        List<String> before;
        try (Connection c = connect()) {
            before = Db.schema(c);
        }
        assertThatThrownBy(() -> runway().rollback(new MigrateOptions(null, 2, false), MigrationListener.NONE))
                .hasMessageContaining("2_b.sql").hasMessageContaining("no down section")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
        try (Connection c = connect()) {
            assertThat(Db.schema(c)).isEqualTo(before);
        }
    }

    @Test
    void dryRunAndTargetsChangeNothingBeyondWhatTheySay() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null).add("2", "b", "CREATE TABLE b (id int);", null)
                .add("3", "c", "CREATE TABLE c (id int);", null);
        MigrateResult dry = runway().migrate(new MigrateOptions(null, 0, true), MigrationListener.NONE);
        assertThat(dry.done()).hasSize(3);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "a")).isFalse();
        }
        assertThat(runway().migrate(new MigrateOptions(MigrationVersion.parse("2"), 0, false), MigrationListener.NONE).done()).hasSize(2);
        assertThat(runway().migrate(new MigrateOptions(null, 1, false), MigrationListener.NONE).done())
                .extracting(m -> m.version().text()).containsExactly("3");
    }

    @Test
    void versionsOfAnyLengthOrderNumerically() throws Exception {
        files.add("99999999999999999999", "big", "CREATE TABLE t_big (id int);", null)
                .add("100000000000000000000", "bigger", "ALTER TABLE t_big ADD COLUMN x int;", null)
                .add("9", "small", "CREATE TABLE t_small (id int);", null);
        assertThat(runway().migrate().done()).extracting(m -> m.version().text())
                .containsExactly("9", "99999999999999999999", "100000000000000000000");
    }

    @Test
    void sessionStateDoesNotLeakIntoTheNextMigration() throws Exception {
        files.add("1", "setter", "CREATE SCHEMA elsewhere;\nSET search_path = elsewhere, public;\nSET lock_timeout = '1ms';\n"
                        + "CREATE TEMP TABLE tmp1 (id int);", null)
                .add("2", "user", "CREATE TABLE after_set (id int);\nCREATE TEMP TABLE tmp1 (id int);\n"
                        + "DO $$BEGIN IF current_setting('lock_timeout') = '1ms' THEN RAISE 'lock_timeout leaked'; END IF; END$$;", null);
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'after_set'"))
                    .containsExactly("public");
        }
    }

    @Test
    void jsonbQuestionMarkOperatorsAreNotParameters() throws Exception {
        files.add("1", "jsonb", "CREATE TABLE docs (d jsonb);\nINSERT INTO docs VALUES ('{\"a\":1}');\n"
                + "CREATE VIEW docs_a AS SELECT d ? 'a' AS has_a, d ?| array['a','b'] AS any_ab, d ?& array['a'] AS all_a FROM docs;", null);
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT has_a::text || any_ab::text || all_a::text FROM docs_a")).containsExactly("truetruetrue");
        }
    }

    @Test
    void dataMigrationsAreTrackedApart() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        new MigrationFiles(files.dir.resolve("data")).add("5", "seed", "INSERT INTO a VALUES (1), (2);", "DELETE FROM a;");
        runway().migrate();
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM a")).isZero();
        }
        assertThat(runway().statusData().pending()).isEqualTo(1);
        runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM a")).isEqualTo(2);
            assertThat(Db.strings(c, "SELECT kind || ':' || version FROM runway_schema_history ORDER BY kind"))
                    .containsExactly("data:5", "schema:1");
        }
    }

    @Test
    void baselineAdoptsAnExistingDatabaseIncludingFlywayHistory() throws Exception {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE a (id int); CREATE TABLE flyway_schema_history (installed_rank int, version text,"
                    + " description text, type text, script text, checksum int, success boolean);"
                    + " INSERT INTO flyway_schema_history VALUES (1, '1', 'a', 'SQL', 'V1__a.sql', 1, true),"
                    + " (2, '1.1', 'a2', 'SQL', 'V1.1__a2.sql', 2, true), (3, '2', 'b', 'SQL', 'V2__b.sql', 3, false)");
        }
        files.raw("V1__a.sql", "CREATE TABLE a (id int);").raw("V1.1__a2.sql", "ALTER TABLE a ADD COLUMN x int;")
                .raw("V2__b.sql", "CREATE TABLE b (id int);");
        // a failed newest row is refused, never skipped to adopt the version before it
        assertThatThrownBy(() -> runway().baseline(null, MigrationListener.NONE)).hasMessageContaining("installed_rank 3")
                .hasMessageContaining("failed (success = false)");
        try (Connection c = connect()) {
            Db.exec(c, "DELETE FROM flyway_schema_history WHERE NOT success"); // what 'flyway repair' does
        }
        assertThat(runway().baseline(null, MigrationListener.NONE).text()).isEqualTo("1.1");
        assertThat(runway().migrate().done()).extracting(m -> m.version().text()).containsExactly("2");
        assertThatThrownBy(() -> runway().baseline(MigrationVersion.parse("3"), MigrationListener.NONE))
                .hasMessageContaining("already has rows");
    }
}
