package dev.runway.lab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared test fixture: fresh databases, its queries, and a snapshot that sees what "unchanged" means. */
class TestDatabaseIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @Test
    void freshDatabasesAreEmptyAndApart() throws Exception {
        TestDatabase a = TestDatabase.create(LAB.lab(), "fixture");
        TestDatabase b = TestDatabase.create(LAB.lab(), "fixture");
        assertThat(a.name()).startsWith("fixture_").isNotEqualTo(b.name());
        assertThat(a.url().database()).isEqualTo(a.name());
        assertThat(a.snapshot()).isEmpty();
        a.exec("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one'), (2, NULL)");
        assertThat(a.number("SELECT count(*) FROM t")).isEqualTo(2);
        assertThat(a.text("SELECT v FROM t WHERE id = 1")).isEqualTo("one");
        assertThat(a.text("SELECT v FROM t WHERE id = 3")).isNull();
        assertThat(a.strings("SELECT id::text FROM t ORDER BY id")).containsExactly("1", "2");
        assertThat(b.snapshot()).isEmpty();
        try (Connection c = a.connect()) {
            assertThat(TestDatabase.exists(c, "t")).isTrue();
            assertThat(TestDatabase.exists(c, "u")).isFalse();
        }
        assertThat(TestDatabase.of(LAB.lab(), LAB.database()).snapshot()).isEmpty();
    }

    @Test
    void theSnapshotSeesColumnsTypesIndexesFunctionsAndRunwaysRows() {
        TestDatabase db = TestDatabase.create(LAB.lab(), "snap");
        db.exec("CREATE TABLE t (id int PRIMARY KEY, v text)");
        List<String> before = db.snapshot();
        assertThat(before).containsExactly("index t_pkey valid=true", "t.id:integer", "t.v:text");
        db.exec("INSERT INTO t VALUES (1, 'data is not schema')");
        assertThat(db.snapshot()).isEqualTo(before);
        for (String change : List.of("ALTER TABLE t ALTER COLUMN v TYPE varchar(40)", "CREATE INDEX t_v ON t (v)",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "CREATE TABLE runway_schema_history (kind text, version text, status text, statements_done int)",
                "INSERT INTO runway_schema_history VALUES ('schema', '1', 'applied', 1)",
                "CREATE TABLE runway_flags (name text PRIMARY KEY, enabled boolean)", "INSERT INTO runway_flags VALUES ('f', true)")) {
            List<String> was = db.snapshot();
            db.exec(change);
            assertThat(db.snapshot()).as(change).isNotEqualTo(was);
        }
        assertThat(db.snapshot()).contains("row schema 1 applied 1", "flag (f,t)", "function f", "t.v:character varying");
    }
}
