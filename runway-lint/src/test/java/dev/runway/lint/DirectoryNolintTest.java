package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.internal.Suppression;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory migrations with a nolint right before a statement: the static gate skips that statement only. */
class DirectoryNolintTest {
    private static final String BASE = "-- runway:up\nCREATE TABLE t (id bigint PRIMARY KEY, x int);\n-- runway:down\nDROP TABLE t;\n";

    @TempDir
    Path dir;

    private List<Migration> load(String name, String text) throws Exception {
        Files.writeString(dir.resolve("1_t.sql"), BASE);
        Files.writeString(dir.resolve(name), text);
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
    }

    @Test
    void coversItsStatementAndNotAnIdenticalOneAfterIt() throws Exception {
        List<Migration> ms = load("2_x.sql", "-- runway:up\n-- runway:nolint RW101 t is empty until launch\n"
                + "CREATE INDEX ON t (x);\nCREATE INDEX ON t (x);\n-- runway:down\nSELECT 1;\n");
        List<Finding> f = StaticGate.check(ms.subList(0, 1), ms.subList(1, 2), LintConfig.defaults());
        assertThat(f).extracting(Finding::rule, Finding::line).containsExactly(tuple("RW101", 4));
        assertThat(f.get(0).file()).endsWith("2_x.sql");
        assertThat(StaticGate.blocks(f)).isTrue();
    }

    @Test
    void coversOnlyItsRule() throws Exception {
        List<Migration> ms = load("2_x.sql", "-- runway:up\n-- runway:nolint RW102 wrong rule for this statement\n"
                + "CREATE INDEX ON t (x);\n");
        assertThat(StaticGate.check(ms.subList(0, 1), ms.subList(1, 2), LintConfig.defaults()))
                .extracting(Finding::rule, Finding::line).containsExactly(tuple("RW101", 3));
    }

    @Test
    void coversADoBlockBodyAndWorksBelowTheFirstStatementOfAFlywayFile() throws Exception {
        List<Migration> ms = load("V2__x.sql", "CREATE INDEX ON t (x);\n-- runway:nolint RW101 t is empty until launch\n"
                + "DO $$\nBEGIN\n  CREATE INDEX ON t (x);\nEND\n$$;\nCREATE INDEX ON t (x);\n");
        assertThat(StaticGate.check(ms.subList(0, 1), ms.subList(1, 2), LintConfig.defaults()))
                .extracting(Finding::rule, Finding::line).containsExactly(tuple("RW101", 1), tuple("RW101", 8));
    }

    @Test
    void headerAndInlineNolintsBecomeSuppressionsOfTheirSection() throws Exception {
        List<Migration> ms = load("2_x.sql", "-- runway:nolint RW122 seed rows\n-- runway:up\nSELECT 1;\n"
                + "-- runway:nolint RW101 r\nCREATE INDEX ON t (x);\n-- runway:down\n-- runway:nolint RW102 r\nDROP INDEX t_x_idx;\n");
        CheckedMigration m = Migrations.of(ms.get(1));
        assertThat(m.suppressions()).extracting(Suppression::rule, Suppression::line, Suppression::fileWide, Suppression::down,
                Suppression::statement).containsExactly(tuple(RuleId.RW122, 1, true, false, -1), tuple(RuleId.RW101, 4, false, false, 1),
                tuple(RuleId.RW102, 7, false, true, 0));
        assertThat(m.suppressed(RuleId.RW101, false, 1)).isTrue();
        assertThat(m.suppressed(RuleId.RW101, false, 0)).isFalse();
        assertThat(m.suppressed(RuleId.RW101, true, 1)).isFalse();
        assertThat(m.suppressed(RuleId.RW102, true, 0)).isTrue();
        assertThat(m.suppressed(RuleId.RW122, true, 0)).isTrue();
    }

    @Test
    void unknownRuleInAnInlineNolintIsBadInputNamingFileAndLine() throws Exception {
        List<Migration> ms = load("2_x.sql", "-- runway:up\nSELECT 1;\n-- runway:down\n\n-- runway:nolint RW999 no such rule\nSELECT 2;\n");
        assertThatThrownBy(() -> StaticGate.check(ms, LintConfig.defaults())).isInstanceOfSatisfying(RunwayException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE)).hasMessageContaining("2_x.sql:5").hasMessageContaining("RW999");
    }
}
