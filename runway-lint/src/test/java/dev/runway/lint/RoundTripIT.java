package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.SqlFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** up, down, up on the scratch database: a broken down section is caught and named; a correct one passes. */
class RoundTripIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    private static final CheckedMigration BASE = SqlFiles.parse("-- runway:up\nCREATE TABLE t (id bigint PRIMARY KEY, a text);\n"
            + "-- runway:down\nDROP TABLE t;\n", "000_base.sql");

    private static CheckResult check(String file, String sql) {
        return Check.run(List.of(BASE), List.of(SqlFiles.parse(sql, file)), LintConfig.defaults(),
                new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
    }

    @Test
    void correctDownPasses() {
        assertThat(check("1.sql", "-- runway:up\nALTER TABLE t ADD COLUMN b text;\nCREATE TABLE u (id bigint);\n"
                + "-- runway:down\nDROP TABLE u;\nALTER TABLE t DROP COLUMN b;\n").findings()).isEmpty();
        assertThat(check("2.sql", "-- runway:up\nCREATE INDEX CONCURRENTLY t_a_idx ON t (a);\n"
                + "-- runway:down\nDROP INDEX CONCURRENTLY t_a_idx;\n").findings()).isEmpty();
    }

    @Test
    void oddStatementEndsTraceInOneMessage() {
        // an empty statement (;;) and line comments after the last statements, one at the end of the file without a
        // newline: the statement and its probes, and the round trip's down and up, still go as one message each
        CheckResult r = check("6.sql", "-- runway:up\nALTER TABLE t ADD COLUMN b int;;\nCREATE INDEX t_a_idx ON t (a); -- the index\n"
                + "-- runway:down\nDROP INDEX t_a_idx;\nALTER TABLE t DROP COLUMN b -- eof");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW101", 3));
    }

    @Test
    void failingDownIsNamedWithItsStatement() {
        CheckResult r = check("3.sql", "-- runway:up\nALTER TABLE t ADD COLUMN b text;\n-- runway:down\nALTER TABLE t DROP COLUMN bb;\n");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW401", 4));
        assertThat(r.findings().get(0).message()).contains("column \"bb\"");
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void incompleteDownMakesTheSecondUpFail() {
        CheckResult r = check("4.sql", "-- runway:up\nCREATE TABLE u (id bigint);\nCREATE INDEX u_idx ON u (id);\n-- runway:down\nDROP INDEX u_idx;\n");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW402", 2));
        assertThat(r.findings().get(0).message()).contains("already exists");
    }

    @Test
    void downThatChangesMoreIsADifference() {
        CheckResult r = check("5.sql", "-- runway:up\nALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\n-- runway:down\nALTER TABLE t ALTER COLUMN a TYPE varchar(5);\n");
        assertThat(r.findings()).extracting(Finding::rule).containsExactly("RW403");
        assertThat(r.findings().get(0).message()).contains("changed column public.t.a: text -> character varying(5)");
    }

    @Test
    void aBrokenSeparateDownFileIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("1_t.up.sql"), "CREATE TABLE t (id bigint);\n");
        java.nio.file.Files.writeString(dir.resolve("1_t.down.sql"), "DROP TABLE t;\n");
        java.nio.file.Files.writeString(dir.resolve("2_c.up.sql"), "ALTER TABLE t ADD COLUMN c text;\n");
        java.nio.file.Files.writeString(dir.resolve("2_c.down.sql"), "-- the column was renamed by hand\nALTER TABLE t DROP COLUMN cc;\n");
        List<CheckedMigration> ms = dev.runway.lint.internal.source.Migrations.of(dev.runway.migrate.dir.MigrationDirectory.load(dir,
                dev.runway.migrate.dir.MigrationKind.SCHEMA).migrations());
        CheckResult r = Check.run(List.of(), ms, LintConfig.defaults(), new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW401", 2));
        assertThat(r.findings().get(0).file()).endsWith("2_c.down.sql");
    }

    @Test
    void sqlThatPostgresCannotParseIsBadInput() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> check("7.sql", "-- runway:up\nALTER TABLLE t ADD COLUMN x int;\n"))
                .isInstanceOfSatisfying(dev.runway.core.RunwayException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.runway.core.ErrorCode.USAGE))
                .hasMessageContaining("7.sql:2").hasMessageContaining("syntax error");
    }

    @Test
    void nonTransactionalRoundTripRunsInPlaceAndAFailureRebuildsTheScratchDatabase() {
        CheckResult r = Check.run(List.of(BASE), List.of(
                SqlFiles.parse("-- runway:up\nCREATE INDEX CONCURRENTLY t_a2_idx ON t (a);\n-- runway:down\nSELECT 1;\n", "6.sql"),
                SqlFiles.parse("-- runway:up\nCREATE INDEX CONCURRENTLY t_a3_idx ON t (a);\n-- runway:down\nDROP INDEX CONCURRENTLY t_a3_idx;\n", "7.sql"),
                SqlFiles.parse("-- runway:up\nALTER TABLE t ADD COLUMN z int;\n-- runway:down\nALTER TABLE t DROP COLUMN z;\n", "8.sql")),
                LintConfig.defaults(), new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
        assertThat(r.findings()).extracting(Finding::file, Finding::rule).containsExactly(org.assertj.core.groups.Tuple.tuple("6.sql", "RW402"));
    }
}
