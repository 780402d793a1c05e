package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} with the trace on directory migrations that put a nolint right before a statement:
 * static findings the trace confirms, findings only the trace sees and round-trip findings are
 * suppressed for that statement and still reported for an identical one.
 */
class DirectoryNolintIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    private static final String BASE = "-- runway:up\nCREATE TABLE t (id bigint PRIMARY KEY, x int);\n"
            + "CREATE FUNCTION wipe_t() RETURNS void LANGUAGE plpgsql AS $$ BEGIN TRUNCATE t; END $$;\n"
            + "-- runway:down\nDROP FUNCTION wipe_t();\nDROP TABLE t;\n";

    @TempDir
    Path dir;

    private CheckResult check(String second) throws Exception {
        Files.writeString(dir.resolve("1_t.sql"), BASE);
        Files.writeString(dir.resolve("2_x.sql"), second);
        List<CheckedMigration> ms = Migrations.of(MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations());
        return Check.run(ms.subList(0, 1), ms.subList(1, 2), LintConfig.defaults(),
                new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
    }

    // transaction none: each statement is traced in its own transaction, so the second one takes the same locks
    // as the first (in one transaction it would find SHARE already held, and its index build would show as RW131).
    @Test
    void staticFindingConfirmedByTheTrace() throws Exception {
        CheckResult r = check("-- runway:transaction none\n-- runway:up\n-- runway:nolint RW101 t is empty until launch\n"
                + "CREATE INDEX ON t (x);\nCREATE INDEX ON t (x);\n-- runway:down\nDROP INDEX t_x_idx1;\nDROP INDEX t_x_idx;\n");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(tuple("RW101", 5));
        assertThat(r.traced()).isTrue();
    }

    @Test
    void findingOnlyTheTraceSees() throws Exception {
        // TRUNCATE inside a function: the static rules do not see it, the trace sees t's relfilenode change.
        CheckResult r = check("-- runway:transaction none\n-- runway:up\n-- runway:nolint RW130 t is empty until launch\n"
                + "SELECT wipe_t();\nSELECT wipe_t();\n-- runway:down\nSELECT 1;\n");
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(tuple("RW130", 5));
    }

    @Test
    void failingDownStatement() throws Exception {
        String down = "-- runway:down\n-- runway:nolint RW401 the column was renamed by hand in every environment\n"
                + "ALTER TABLE t DROP COLUMN yy;\n";
        assertThat(check("-- runway:up\nALTER TABLE t ADD COLUMN y int;\n" + down).findings()).isEmpty();
        // The same nolint before another down statement does not cover the failing one.
        CheckResult r = check("-- runway:up\nALTER TABLE t ADD COLUMN y int;\n" + down.replace("DROP COLUMN yy;\n",
                "ADD COLUMN z int;\nALTER TABLE t DROP COLUMN yy;\n"));
        assertThat(r.findings()).extracting(Finding::rule, Finding::line).containsExactly(tuple("RW401", 6));
    }
}
