package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lint.internal.source.SqlFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviours of the static rules the corpus does not pin down by itself: lines, scopes, modes, versions. */
class StaticRulesTest {
    private static List<Finding> check(String sql, LintConfig cfg) {
        return StaticGate.checkAll(List.of(), List.of(SqlFiles.parse(sql, "m.sql")), cfg);
    }

    private static List<Finding> check(String sql) {
        return check(sql, LintConfig.defaults());
    }

    @Test
    void ddlInsideDoBodyIsReportedOnItsOwnLine() {
        List<Finding> f = check("DO $$\nBEGIN\n  -- a comment\n  CREATE INDEX i ON orders (x);\nEND\n$$;\n");
        assertThat(f).extracting(Finding::rule, Finding::line).containsExactly(org.assertj.core.groups.Tuple.tuple("RW101", 4));
        assertThat(f.get(0).lock()).isEqualTo("SHARE on orders");
    }

    @Test
    void dynamicSqlInExecuteIsChecked() {
        assertThat(check("DO $$ BEGIN EXECUTE 'ALTER TABLE t DROP COLUMN c'; END $$;")).extracting(Finding::rule).containsExactly("RW201");
    }

    @Test
    void inlineNolintCoversOnlyTheNextStatement() {
        List<Finding> f = check("-- runway:up\nCREATE INDEX a ON t (x);\n-- runway:nolint RW101 tiny table, 20 rows\nCREATE INDEX b ON t (y);\n"
                + "CREATE INDEX c ON t (z);\n");
        assertThat(f).extracting(Finding::line).containsExactly(2, 5);
    }

    @Test
    void headerNolintCoversTheFile() {
        assertThat(check("-- runway:nolint RW101 tiny table\n-- runway:up\nCREATE INDEX a ON t (x);\nCREATE INDEX b ON t (y);\n")).isEmpty();
    }

    @Test
    void lockTimeoutIsOnlyAFindingInPlainMode() {
        String sql = "ALTER TABLE t ADD COLUMN c text;\n";
        assertThat(check(sql)).isEmpty();
        assertThat(check(sql, LintConfig.builder().mode(Mode.PLAIN).build())).extracting(Finding::rule).containsExactly("RW121");
        assertThat(check("SET lock_timeout = '1s';\n" + sql, LintConfig.builder().mode(Mode.PLAIN).build())).isEmpty();
    }

    @Test
    void renameWithCompatibilityViewIsAccepted() {
        assertThat(check("ALTER TABLE a RENAME TO b;\nCREATE VIEW a AS SELECT * FROM b;\n")).isEmpty();
        assertThat(check("ALTER TABLE a RENAME TO b;\n")).extracting(Finding::rule).containsExactly("RW204");
    }

    @Test
    void versionGates() {
        String reindex = "REINDEX TABLE t;\n";
        assertThat(check(reindex, LintConfig.builder().pgMajor(11).build())).isEmpty();
        assertThat(check(reindex, LintConfig.builder().pgMajor(12).build())).extracting(Finding::rule).containsExactly("RW117");
        String def = "ALTER TABLE t ADD COLUMN c int DEFAULT 0;\n";
        assertThat(check(def, LintConfig.builder().pgMajor(10).build())).extracting(Finding::rule).containsExactly("RW109");
        assertThat(check(def)).isEmpty();
        String detach = "ALTER TABLE p DETACH PARTITION p1;\n";
        assertThat(check(detach, LintConfig.builder().pgMajor(13).build())).isEmpty();
        assertThat(check(detach)).extracting(Finding::rule).containsExactly("RW119");
    }

    @Test
    void safeRecipesAcrossMigrationsAreRecognised() {
        List<Finding> f = StaticGate.checkAll(
                List.of(SqlFiles.parse("CREATE TABLE t (id bigint, c varchar(10), d text);\n"
                        + "ALTER TABLE t ADD CONSTRAINT t_d_nn CHECK (d IS NOT NULL) NOT VALID;\n", "1.sql"),
                        SqlFiles.parse("ALTER TABLE t VALIDATE CONSTRAINT t_d_nn;\n", "2.sql")),
                List.of(SqlFiles.parse("ALTER TABLE t ALTER COLUMN d SET NOT NULL;\nALTER TABLE t ALTER COLUMN c TYPE varchar(20);\n", "3.sql")),
                LintConfig.defaults());
        assertThat(f).isEmpty();
    }

    @Test
    void configDisablesAndReweighs() {
        LintConfig cfg = LintConfig.builder().disable(RuleId.RW101).severity(RuleId.RW201, "warning", "test").build();
        List<Finding> f = check("CREATE INDEX a ON t (x);\nALTER TABLE t DROP COLUMN c;\n", cfg);
        assertThat(f).extracting(Finding::rule, Finding::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RW201", Severity.WARNING));
        assertThat(StaticGate.blocks(f)).isFalse();
    }
}
