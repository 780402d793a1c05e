package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.internal.source.SqlFiles;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.lint.internal.trace.Scratch;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear error with file:line and the documented exit code (2 usage, 75 unreachable). */
class BadInputTest {
    @TempDir
    Path dir;

    private static ErrorCode code(Runnable r) {
        try {
            r.run();
        } catch (RunwayException e) {
            return e.code();
        }
        return null;
    }

    @Test
    void unknownRuleInNolintNamesFileAndLine() {
        assertThatThrownBy(() -> SqlFiles.parse("-- runway:nolint RW999 because\n-- runway:up\nSELECT 1;\n", "m.sql"))
                .isInstanceOf(RunwayException.class).hasMessageContaining("m.sql:1").hasMessageContaining("RW999");
    }

    @Test
    void unknownRuleInDirectoryNolintIsRejectedByCheck() throws Exception {
        Files.writeString(dir.resolve("20250101000000_a.sql"), "-- runway:nolint RW998 reasons\n-- runway:up\nSELECT 1;\n");
        List<dev.runway.migrate.dir.Migration> ms = MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
        assertThatThrownBy(() -> Migrations.of(ms)).isInstanceOf(RunwayException.class)
                .hasMessageContaining("20250101000000_a.sql:1").hasMessageContaining("RW998");
        assertThat(code(() -> StaticGate.check(ms, LintConfig.defaults()))).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void nolintWithoutReason() {
        assertThatThrownBy(() -> SqlFiles.parse("-- runway:nolint RW101\nCREATE INDEX a ON t (x);\n", "m.sql"))
                .isInstanceOf(RunwayException.class).hasMessageContaining("m.sql:1").hasMessageContaining("reason");
        assertThat(code(() -> SqlFiles.parse("-- runway:nolint RW101\n", "m.sql"))).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void unparseableSql() {
        assertThatThrownBy(() -> SqlFiles.parse("SELECT 1;\nSELECT $$ never closed;\n", "m.sql"))
                .isInstanceOf(RunwayException.class).hasMessageContaining("m.sql:2");
        assertThat(code(() -> SqlFiles.parse("SELECT 'x;\n", "m.sql"))).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void unknownDirective() {
        assertThatThrownBy(() -> SqlFiles.parse("-- runway:lint-off\nSELECT 1;\n", "m.sql")).hasMessage("m.sql:1: unknown directive"
                + " 'runway:lint-off' (known: up, down, transaction, lock-timeout, statement-timeout, retries, nolint, backfill, allow-empty)");
    }

    @Test
    void allowEmptyIsADirectiveOfAFileCheckedByName() {
        assertThat(SqlFiles.parse("-- runway:allow-empty\n-- runway:up\n-- nothing yet\n", "m.sql")).isNotNull();
    }

    @Test
    void unknownRuleInConfigNamesTheKey() {
        assertThatThrownBy(() -> LintConfig.fromEntries(Map.of("severity.RW777", "warning"), k -> "runway.toml:7"))
                .isInstanceOf(RunwayException.class).hasMessageContaining("runway.toml:7").hasMessageContaining("RW777");
        assertThatThrownBy(() -> LintConfig.fromEntries(Map.of("disable", "RW101,RWX"), k -> "runway.toml:3"))
                .hasMessageContaining("runway.toml:3").hasMessageContaining("RWX");
        assertThatThrownBy(() -> LintConfig.fromEntries(Map.of("severity.RW101", "loud"), k -> "runway.toml:4"))
                .hasMessageContaining("loud");
        assertThatThrownBy(() -> LintConfig.fromEntries(Map.of("colour", "x"), k -> "runway.toml:5")).hasMessageContaining("colour");
    }

    @Test
    void unreachableScratchServerIsTemporary() {
        assertThat(code(() -> Scratch.at(DatabaseUrl.parse("postgres://postgres@127.0.0.1:1/x", "test")))).isEqualTo(ErrorCode.TEMPORARY);
        assertThat(code(() -> Check.run(List.of(), List.of(SqlFiles.parse("SELECT 1;", "m.sql")), LintConfig.defaults(),
                new CheckOptions(true, true, DatabaseUrl.parse("postgres://postgres@127.0.0.1:1/x", "test"), null, null, false))))
                .isEqualTo(ErrorCode.TEMPORARY);
    }
}
