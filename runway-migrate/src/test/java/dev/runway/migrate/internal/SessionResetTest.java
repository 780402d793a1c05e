package dev.runway.migrate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which statements make a transactional migration reset the session after it (Executor.mayChangeSession). */
class SessionResetTest {
    private static List<SqlStatement> scan(String sql) {
        return SqlScanner.scan(sql, "test.sql").statements();
    }

    private static final String SAMPLES = String.join(";\n",
            "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())",
            "COMMENT ON TABLE t IS 'items'", "ALTER TABLE t ADD COLUMN note text", "CREATE INDEX t_i ON t (note)",
            "INSERT INTO t (note) VALUES ('a')", "UPDATE t SET note = 'b' WHERE id = 1", "DROP TABLE old",
            "CREATE TEMP TABLE x (a int)", "create temporary table x (a int)", "CREATE LOCAL TEMPORARY TABLE y (a int)",
            "CREATE TEXT SEARCH TEMPLATE tt (LEXIZE = dsimple_lexize)", "DROP TABLE temp_old", "ALTER TABLE t ADD COLUMN tempo int",
            "select 1", "SELECT set_config('search_path', 'a', false)", "SELECTx", "do $$ begin perform 1; end $$",
            "Do $$ begin end $$", "CALL p()", "call p()", "SET search_path = a", "set local lock_timeout = '1s'",
            "SET CONSTRAINTS ALL DEFERRED", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "RESET ALL", "DISCARD TEMP",
            "LISTEN c", "UNLISTEN *", "DEALLOCATE ALL", "LOAD 'auto_explain'", "PREPARE p AS SELECT 1", "PREPARE TRANSACTION 'x'",
            "UPDATE t SET note = set_config('a.b', 'c', false)", "UPDATE t SET note = SET_CONFIG('a.b', 'c', true)",
            "(SELECT 1)", "WITH a AS (SELECT 1) SELECT * FROM a", "CREATE ſet_config", "CREATE ﬆemp x",
            "UPDATE t SET note = ſet_config('a.b', 'c', false)", "ALTER TABLE t RENAME COLUMN a TO \"temp\"",
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "VACUUM t", "DOMAINX");

    /** The quick test never changes the answer: same as the rule, on samples and on every SQL file of the tests. */
    @Test
    void sameAnswerAsTheRule() throws IOException {
        List<SqlStatement> all = new ArrayList<>(scan(SAMPLES));
        try (Stream<Path> files = Files.walk(Path.of("..").toAbsolutePath().normalize())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql") && p.toString().contains("src" + java.io.File.separator + "test"))
                    .toList()) {
                try {
                    all.addAll(scan(Files.readString(f, StandardCharsets.UTF_8)));
                } catch (RuntimeException | IOException unreadable) {
                    // a file of the tests that is bad on purpose
                }
            }
        }
        assertThat(all.size()).isGreaterThan(300);
        for (SqlStatement s : all) {
            assertThat(Executor.mayChangeSession(s)).as(s.sql()).isEqualTo(Executor.mayChangeSessionByKeyword(s));
        }
    }

    @Test
    void samplesThatReset() {
        assertThat(scan(SAMPLES).stream().filter(Executor::mayChangeSession).map(SqlStatement::sql).toList()).contains(
                "CREATE TEMP TABLE x (a int)", "create temporary table x (a int)", "CREATE LOCAL TEMPORARY TABLE y (a int)",
                "CREATE TEXT SEARCH TEMPLATE tt (LEXIZE = dsimple_lexize)", "select 1", "SELECTx", "CALL p()", "call p()",
                "SET search_path = a", "RESET ALL", "DISCARD TEMP", "LISTEN c", "UNLISTEN *", "DEALLOCATE ALL",
                "LOAD 'auto_explain'", "PREPARE p AS SELECT 1", "UPDATE t SET note = set_config('a.b', 'c', false)",
                "UPDATE t SET note = ſet_config('a.b', 'c', false)", "CREATE ﬆemp x")
                .doesNotContain("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL"
                        + " DEFAULT now())", "DROP TABLE temp_old", "set local lock_timeout = '1s'", "SET CONSTRAINTS ALL DEFERRED",
                        "UPDATE t SET note = SET_CONFIG('a.b', 'c', true)", "PREPARE TRANSACTION 'x'", "(SELECT 1)");
    }

    /** The common DDL and DML is decided from the text alone (the keyword is not built for it): the quick path. */
    @Test
    void everydayStatementsTakeTheQuickPath() {
        for (SqlStatement s : scan("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz);\n"
                + "COMMENT ON TABLE t IS 'items';\nALTER TABLE t ADD COLUMN note text NOT NULL DEFAULT 'new';\n"
                + "CREATE INDEX t_i ON t (note);\nINSERT INTO t (note) VALUES ('a');\nUPDATE t SET note = 'b' WHERE id = 1;\n"
                + "DROP TABLE old")) {
            assertThat(Executor.surelyLeavesSessionAlone(s)).as(s.sql()).isTrue();
        }
    }
}
