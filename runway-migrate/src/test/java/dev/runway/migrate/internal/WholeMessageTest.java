package dev.runway.migrate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.sql.SqlStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The marks of a {@link WholeMessage}: which statement failed, how long each one took; which migrations fit in one. */
class WholeMessageTest {
    private static SqlStatement st(String sql, int line) {
        return new SqlStatement(sql, line, line, List.of());
    }

    private final List<SqlStatement> three = List.of(st("CREATE TABLE a (id int)", 2), st("SELECT 1 -- a comment", 3),
            st("CREATE TABLE b (id int)", 4));

    private WholeMessage message() {
        return new WholeMessage(WholeMessage.mark(), List.of("SELECT set_config('lock_timeout', '1s', true)"), three,
                "INSERT INTO h VALUES (1)");
    }

    @Test
    void eachStatementIsFollowedByAMarkOnItsOwnLine() {
        String sql = message().sql();
        assertThat(sql).startsWith("BEGIN;\n" + WholeMessage.mark() + ";\nSELECT set_config('lock_timeout', '1s', true);\n")
                .endsWith("INSERT INTO h VALUES (1);\nCOMMIT");
        // a statement ending in a line comment does not swallow its mark
        assertThat(sql).contains("SELECT 1 -- a comment\n;\n" + WholeMessage.mark() + ";\n");
        assertThat(sql.split(WholeMessage.LABEL, -1)).hasSize(1 + 1 + three.size());
    }

    @Test
    void theMarksSayWhichStatementFailedAndHowLongTheOnesBeforeItTook() {
        WholeMessage m = message();
        assertThat(m.started()).isFalse();
        m.mark(100); // the lock check
        assertThat(m.started()).isTrue();
        assertThat(m.done()).isZero();
        assertThat(m.failed()).isSameAs(three.get(0));
        m.mark(1100);
        m.mark(1350);
        assertThat(m.done()).isEqualTo(2);
        assertThat(m.failed()).isSameAs(three.get(2));
        assertThat(m.took(0)).isEqualTo(Duration.ofMillis(1));
        assertThat(m.took(1)).isEqualTo(Duration.ofNanos(250_000));
        m.mark(2000);
        assertThat(m.done()).isEqualTo(3);
        assertThat(m.failed()).as("the history row or COMMIT: Runway's own").isNull();
    }

    @Test
    void manyStatementsKeepTheirMarks() {
        List<SqlStatement> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(st("SELECT " + i, i + 2));
        }
        WholeMessage m = new WholeMessage(WholeMessage.mark(), List.of(), many, "SELECT 1");
        for (int i = 0; i <= 40; i++) {
            m.mark(i * 10L);
        }
        assertThat(m.done()).isEqualTo(40);
        assertThat(m.took(39)).isEqualTo(Duration.ofNanos(10_000));
    }

    @Test
    void migrationsThatChangeHowTextIsReadOrAreLargeGoStatementByStatement() {
        assertThat(WholeMessage.fits(three)).isTrue();
        assertThat(WholeMessage.fits(List.of(st("SET standard_conforming_strings = off", 2)))).isFalse();
        assertThat(WholeMessage.fits(List.of(st("select set_config('STANDARD_CONFORMING_STRINGS', 'off', false)", 2)))).isFalse();
        assertThat(WholeMessage.fits(List.of(st("SET LOCAL backslash_quote = on", 2)))).isFalse();
        assertThat(WholeMessage.fits(List.of(st("CREATE TABLE standard_conforming (id int)", 2)))).isTrue();
        assertThat(WholeMessage.fits(List.of(st("SELECT '" + "x".repeat(WholeMessage.MAX_CHARS) + "'", 2)))).isFalse();
    }
}
