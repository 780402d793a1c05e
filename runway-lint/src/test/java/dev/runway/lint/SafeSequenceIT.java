package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ordinary, safely written application history (src/test/resources/safe-app: create tables, add
 * nullable columns, CONCURRENTLY indexes in their own files, NOT VALID + VALIDATE in separate
 * migrations, the CHECK recipe for NOT NULL, varchar widening, UNIQUE USING INDEX), loaded by the
 * real migration directory and checked in sequence with trace and round trip: zero findings.
 */
class SafeSequenceIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @Test
    void ordinarySafeMigrationsHaveNoFindings() {
        List<Migration> ms = MigrationDirectory.load(Path.of("src/test/resources/safe-app"), MigrationKind.SCHEMA).migrations();
        assertThat(ms).hasSizeGreaterThanOrEqualTo(18);
        assertThat(StaticGate.check(ms, LintConfig.defaults())).isEmpty();
        CheckResult r = Check.run(List.of(), Migrations.of(ms), LintConfig.defaults(),
                new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
        assertThat(r.findings()).isEmpty();
        assertThat(r.checked()).hasSize(ms.size());
        assertThat(r.exitCode()).isZero();
    }
}
