package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.internal.source.SqlFiles;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} in Runway mode reads files that manage their own transactions as {@code migrate} runs them: one
 * block is the migration's transaction (no finding), a split file is RW302 (a warning), unbalanced control is the
 * same bad input, and RW106/RW103 see the blocks.
 */
class TransactionControlCheckTest {
    @TempDir
    Path dir;

    private static List<Finding> check(String sql) {
        return StaticGate.checkAll(List.of(), List.of(SqlFiles.parse(sql, "m.sql")), LintConfig.defaults());
    }

    @Test
    void oneBlockIsTheMigrationsTransaction() {
        assertThat(check("-- a golang-migrate file\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n")).isEmpty();
    }

    @Test
    void aSplitFileIsAWarning() {
        List<Finding> f = check("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE u (id int);\nCOMMIT;\n");
        assertThat(f).extracting(Finding::rule, Finding::line, Finding::severity).containsExactly(tuple("RW302", 1, Severity.WARNING));
    }

    @Test
    void theConcurrentlyEscapeIsNotReportedAsConcurrentlyInATransaction() {
        List<Finding> f = check("CREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON t (id);\nBEGIN;\nINSERT INTO t VALUES (1);\n");
        assertThat(f).extracting(Finding::rule).doesNotContain("RW103").contains("RW302");
    }

    @Test
    void unbalancedControlIsTheSameBadInputAsForMigrate() throws Exception {
        String text = "-- runway:up\nBEGIN;\nCREATE TABLE t (id int);\n";
        assertThatThrownBy(() -> check(text)).isInstanceOf(RunwayException.class).hasMessage("m.sql:2: BEGIN is never committed;"
                + " end the block with COMMIT").extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
        Files.writeString(dir.resolve("1_t.sql"), text);
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA))
                .hasMessage(dir.resolve("1_t.sql") + ":2: BEGIN is never committed; end the block with COMMIT");
    }

    @Test
    void plainModeKeepsReportingWhatAnotherRunnerWouldDo() {
        List<Finding> f = StaticGate.checkAll(List.of(), List.of(SqlFiles.parse("SET lock_timeout = '1s';\nBEGIN;\nALTER TABLE t ADD c int;\n",
                "m.sql")), LintConfig.builder().mode(Mode.PLAIN).build());
        assertThat(f).extracting(Finding::rule).containsExactly("RW303");
    }
}
