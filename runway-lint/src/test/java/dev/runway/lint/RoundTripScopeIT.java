package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.SqlFiles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The round trip inside a transaction compares only the objects its down and up touched (event
 * triggers, as a superuser) or catalog hashes (without one): each way, what a down does beyond undoing
 * up is caught and named — also what it drops or changes indirectly, in another schema, or after
 * switching settings off.
 */
class RoundTripScopeIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    private static final List<CheckedMigration> BASE = List.of(
            SqlFiles.parse("-- runway:up\nCREATE TYPE mood AS ENUM ('a', 'b');\nCREATE SCHEMA app;\n"
                    + "CREATE TABLE t (id bigint PRIMARY KEY, a text DEFAULT 'x', m mood);\nCREATE INDEX t_a_idx ON t (a);\n"
                    + "CREATE TABLE app.u (id bigint PRIMARY KEY, a int DEFAULT 0);\nCREATE INDEX u_a_idx ON app.u (a);\nCREATE VIEW t_v AS SELECT id, a FROM t;\n"
                    + "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n"
                    + "-- runway:down\nDROP FUNCTION f();\nDROP VIEW t_v;\nDROP TABLE app.u;\nDROP TABLE t;\nDROP SCHEMA app;\nDROP TYPE mood;\n",
                    "000_base.sql"));

    @BeforeAll
    static void plainRole() throws Exception {
        try (Connection c = DriverManager.getConnection(LAB.lab().primary().url("postgres").jdbcUrl(), "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("DO $r$ BEGIN CREATE ROLE rt_plain LOGIN CREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END $r$");
        }
    }

    private static DatabaseUrl scratch(String user) {
        DatabaseUrl u = LAB.lab().primary().url("postgres");
        return DatabaseUrl.of(u.host(), u.port(), "postgres", user, null);
    }

    private static List<Finding> check(String user, String up, String down) {
        CheckedMigration m = SqlFiles.parse("-- runway:up\n" + up + "\n-- runway:down\n" + down + "\n", "1.sql");
        return Check.run(BASE, List.of(m), LintConfig.defaults(), new CheckOptions(true, true, scratch(user), null, null, false)).findings();
    }

    /** The round trip's findings (RW401-RW403) only: some of these files also trip a static rule. */
    private static List<Finding> roundTripFindings(String user, String up, String down) {
        return check(user, up, down).stream().filter(f -> f.rule().startsWith("RW40")).toList();
    }

    private static String differs(String user, String up, String down) {
        List<Finding> f = check(user, up, down);
        assertThat(f).extracting(Finding::rule).containsExactly("RW403");
        return f.get(0).message();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatDropsAnIndexUpDoesNotRecreateDiffers(String user) {
        assertThat(differs(user, "ALTER TABLE t ADD COLUMN b text;", "ALTER TABLE t DROP COLUMN b;\nDROP INDEX t_a_idx;"))
                .contains("missing index public.t_a_idx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatDropsAnIndexOfATableUpDoesNotTouchDiffers(String user) {
        // Only the drop names the index: up and down otherwise touch table t alone.
        assertThat(differs(user, "COMMENT ON TABLE t IS 'x';", "COMMENT ON TABLE t IS NULL;\nDROP INDEX app.u_a_idx;"))
                .contains("missing index app.u_a_idx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatDropsAViewWithItsTableDiffers(String user) {
        assertThat(differs(user, "CREATE TABLE w (id int);", "DROP TABLE w;\nDROP VIEW t_v;")).contains("missing table public.t_v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatChangesADefaultDiffers(String user) {
        assertThat(differs(user, "ALTER TABLE t ADD COLUMN b text;", "ALTER TABLE t DROP COLUMN b;\nALTER TABLE t ALTER COLUMN a SET DEFAULT 'y';"))
                .contains("changed column public.t.a: text default 'x'::text -> text default 'y'::text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatRenamesAnEnumLabelDiffers(String user) {
        assertThat(differs(user, "ALTER TABLE t ADD COLUMN b text;", "ALTER TABLE t DROP COLUMN b;\nALTER TYPE mood RENAME VALUE 'a' TO 'aa';"))
                .contains("changed enum public.mood.1: a -> aa");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatReplacesAFunctionBodyDiffers(String user) {
        assertThat(differs(user, "ALTER TABLE t ADD COLUMN b text;",
                "ALTER TABLE t DROP COLUMN b;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';"))
                .contains("changed function public.f()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatChangesAnotherSchemaDiffers(String user) {
        assertThat(differs(user, "ALTER TABLE app.u ADD COLUMN c int;", "ALTER TABLE app.u DROP COLUMN c;\nALTER TABLE app.u ALTER COLUMN a DROP DEFAULT;"))
                .contains("changed column app.u.a: integer default 0 -> integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatDropsMoreThroughCascadeDiffers(String user) {
        // DROP TYPE ... CASCADE also drops column t.m, which up does not re-create.
        assertThat(differs(user, "CREATE TYPE mood2 AS ENUM ('x');", "DROP TYPE mood2;\nDROP TYPE mood CASCADE;\nCREATE TYPE mood AS ENUM ('a', 'b');"))
                .contains("missing column public.t.m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatSwitchesSettingsOffIsStillCompared(String user) {
        // RESET ALL also resets the round trip's own recording switch: the whole schema decides.
        assertThat(differs(user, "ALTER TABLE t ADD COLUMN b text;", "RESET ALL;\nALTER TABLE t DROP COLUMN b;\nDROP INDEX t_a_idx;"))
                .contains("missing index public.t_a_idx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void aDownThatLeavesAColumnMakesUpFail(String user) {
        List<Finding> f = check(user, "ALTER TABLE t ADD COLUMN b text;\nALTER TABLE t ADD COLUMN c text;", "ALTER TABLE t DROP COLUMN c;");
        assertThat(f).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW402", 2));
        assertThat(f.get(0).message()).contains("already exists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "rt_plain"})
    void correctDownsPass(String user) {
        assertThat(roundTripFindings(user, "CREATE TABLE w (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n text NOT NULL DEFAULT 'n'"
                + " CHECK (n <> ''));\nCREATE INDEX w_n_idx ON w (n);", "DROP TABLE w;")).isEmpty();
        assertThat(roundTripFindings(user, "ALTER TABLE t ADD COLUMN b text NOT NULL DEFAULT 'b';\nALTER TABLE t ADD COLUMN c int;",
                "ALTER TABLE t DROP COLUMN c;\nALTER TABLE t DROP COLUMN b;")).isEmpty();
        assertThat(roundTripFindings(user, "CREATE TABLE w (id int, n text);\nCREATE UNIQUE INDEX w_n_uq ON w (n) WHERE id > 0;\n"
                + "ALTER TABLE w ADD CONSTRAINT w_id_pos CHECK (id > 0);", "DROP INDEX w_n_uq;\nDROP TABLE w;")).isEmpty();
        assertThat(roundTripFindings(user, "INSERT INTO t (id, a) VALUES (1, 'one');", "DELETE FROM t WHERE id = 1;")).isEmpty();
        assertThat(roundTripFindings(user, "ALTER TYPE mood RENAME VALUE 'b' TO 'bb';\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 3';",
                "ALTER TYPE mood RENAME VALUE 'bb' TO 'b';\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';")).isEmpty();
        assertThat(roundTripFindings(user, "DO $d$ BEGIN EXECUTE 'CREATE TABLE app.d (id int)'; END $d$;", "DROP TABLE app.d;")).isEmpty();
    }
}
