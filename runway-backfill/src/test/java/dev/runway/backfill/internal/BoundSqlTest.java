package dev.runway.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundSqlTest {
    @Test
    void placeholdersBecomeParametersInOrder() {
        BoundSql b = BoundSql.of("UPDATE users SET e = lower(e) WHERE id >= :lo AND id < :hi AND e IS NULL");
        assertThat(b.sql()).isEqualTo("UPDATE users SET e = lower(e) WHERE id >= ? AND id < ? AND e IS NULL");
        assertThat(b.params()).containsExactly(true, false);
        assertThat(b.usesBoth()).isTrue();
        assertThat(BoundSql.of("SELECT f(:hi, :lo, :hi)").params()).containsExactly(false, true, false);
    }

    @Test
    void quotedTextCommentsCastsAndLongerNamesAreLeftAlone() {
        String sql = "UPDATE t SET a = ':lo', \"x:hi\" = $q$ :hi $q$, b = c::int /* :lo */ -- :hi\n"
                + " WHERE k >= :lo AND k < :hi AND :low = :hint AND d ? 'key'";
        BoundSql b = BoundSql.of(sql);
        assertThat(b.params()).containsExactly(true, false);
        assertThat(b.sql()).isEqualTo("UPDATE t SET a = ':lo', \"x:hi\" = $q$ :hi $q$, b = c::int /* :lo */ -- :hi\n"
                + " WHERE k >= ? AND k < ? AND :low = :hint AND d ?? 'key'");
    }

    @Test
    void aStatementWithoutBothIsFlagged() {
        assertThat(BoundSql.of("UPDATE t SET a = 1 WHERE id >= :lo").usesBoth()).isFalse();
        assertThat(BoundSql.of("UPDATE t SET a = 1").params()).isEqualTo(List.of());
    }
}
