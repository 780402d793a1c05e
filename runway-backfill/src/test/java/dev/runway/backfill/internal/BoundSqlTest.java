package dev.runway.backfill.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.backfill.internal.BoundSql.Bound;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundSqlTest {
    static final TableKey INT = new TableKey("\"users\"", List.of(new TableKey.Column("id", "bigint", true)), "users_pkey");
    static final TableKey UUID = new TableKey("\"users\"", List.of(new TableKey.Column("id", "uuid", false)), "users_pkey");
    static final TableKey PAIR = new TableKey("\"orders\"", List.of(new TableKey.Column("tenant_id", "integer", true),
            new TableKey.Column("id", "uuid", false)), "orders_pkey");

    static void refused(String sql, TableKey key, String message) {
        assertThatThrownBy(() -> BoundSql.of(sql).check(key, "f.sql:4"))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("f.sql:4: " + message);
    }

    @Test
    void loAndHiBecomeBigintParametersInOrder() {
        BoundSql b = BoundSql.of("UPDATE users SET e = lower(e) WHERE id >= :lo AND id < :hi AND e IS NULL");
        assertThat(b.sql(INT)).isEqualTo("UPDATE users SET e = lower(e) WHERE id >= ? AND id < ? AND e IS NULL");
        assertThat(b.placeholders()).extracting(BoundSql.Placeholder::bound).containsExactly(Bound.LO, Bound.HI);
        b.check(INT, "f.sql:4");
        assertThat(BoundSql.of("SELECT f(:hi, :lo, :hi)").placeholders()).extracting(BoundSql.Placeholder::bound)
                .containsExactly(Bound.HI, Bound.LO, Bound.HI);
    }

    @Test
    void firstAndLastAreCastToTheColumnTypes() {
        BoundSql b = BoundSql.of("UPDATE orders SET x = 1 WHERE (tenant_id, id) >= (:first_tenant_id, :first_id)"
                + " AND (tenant_id, id) <= (:last_tenant_id, :last_id)");
        assertThat(b.sql(PAIR)).isEqualTo("UPDATE orders SET x = 1 WHERE (tenant_id, id) >= (CAST(? AS integer), CAST(? AS uuid))"
                + " AND (tenant_id, id) <= (CAST(? AS integer), CAST(? AS uuid))");
        b.check(PAIR, "f.sql:4");
        BoundSql one = BoundSql.of("UPDATE users SET x = 1 WHERE id BETWEEN :first AND :last");
        assertThat(one.sql(UUID)).isEqualTo("UPDATE users SET x = 1 WHERE id BETWEEN CAST(? AS uuid) AND CAST(? AS uuid)");
        one.check(UUID, "f.sql:4");
        one.check(INT, "f.sql:4"); // integer keys take both forms
    }

    @Test
    void quotedTextCommentsCastsAndLongerNamesAreLeftAlone() {
        String sql = "UPDATE t SET a = ':lo', \"x:hi\" = $q$ :hi $q$, b = c::int /* :lo */ -- :hi\n"
                + " WHERE k >= :lo AND k < :hi AND :low = :hint AND :firstly = 1 AND d ? 'key'";
        BoundSql b = BoundSql.of(sql);
        assertThat(b.placeholders()).hasSize(2);
        assertThat(b.sql(INT)).isEqualTo("UPDATE t SET a = ':lo', \"x:hi\" = $q$ :hi $q$, b = c::int /* :lo */ -- :hi\n"
                + " WHERE k >= ? AND k < ? AND :low = :hint AND :firstly = 1 AND d ?? 'key'");
    }

    @Test
    void placeholdersThatDoNotFitTheKeyAreRefused() {
        refused("UPDATE users SET a = 1 WHERE id >= :lo AND id < :hi", UUID, ":lo needs one smallint, integer or bigint key column"
                + " (:hi is one past the batch's last key, and id has no next value); write WHERE id >= :first AND id <= :last");
        refused("UPDATE o SET a = 1 WHERE id >= :first AND id <= :last", PAIR, ":first stands for a one-column key; the key is"
                + " (tenant_id, id), so write WHERE (tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id)");
        refused("UPDATE o SET a = 1 WHERE (tenant_id, id) > (:lo_tenant_id, :lo_id)", PAIR, ":lo_tenant_id: a key column's bounds are"
                + " :first_<col> and :last_<col> (both inclusive); write WHERE (tenant_id, id) >= (:first_tenant_id, :first_id)"
                + " AND (tenant_id, id) <= (:last_tenant_id, :last_id)");
        refused("UPDATE o SET a = 1 WHERE x >= :first_nope", PAIR, ":first_nope: nope is not a key column (the key is (tenant_id, id))");
    }

    @Test
    void comparisonsThatSkipOrRepeatAKeyAreRefused() {
        refused("UPDATE users SET a = 1 WHERE id >= :first AND id < :last", UUID, "'< :last' skips a key of every batch: :last is"
                + " inclusive, compare with '<= :last'");
        refused("UPDATE users SET a = 1 WHERE id > :first AND id <= :last", UUID, "'> :first' skips a key of every batch: :first is"
                + " inclusive, compare with '>= :first'");
        refused("UPDATE o SET a = 1 WHERE (tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) < (:last_tenant_id,"
                + " :last_id)", PAIR, "'< :last_tenant_id' skips a key of every batch: :last_tenant_id is inclusive, compare with"
                + " '<= :last_tenant_id'");
        refused("UPDATE users SET a = 1 WHERE id >= :lo AND id <= :hi", INT, "'<= :hi' leaves a key out or in twice: :hi is one past"
                + " the batch's last key, compare with '< :hi'");
    }

    @Test
    void aStatementMustBoundEveryKeyColumnFromBothSides() {
        refused("UPDATE t SET a = 1 WHERE id >= :lo", INT, "a backfill statement must bound the key from both sides, e.g. WHERE id >= :lo"
                + " AND id < :hi, or it would run on the whole table in every batch");
        refused("UPDATE t SET a = 1", UUID, "a backfill statement must bound the key from both sides, e.g. WHERE id >= :first AND"
                + " id <= :last, or it would run on the whole table in every batch");
        refused("UPDATE o SET a = 1 WHERE tenant_id BETWEEN :first_tenant_id AND :last_tenant_id", PAIR, "a backfill statement must"
                + " bound every key column from both sides, e.g. WHERE (tenant_id, id) >= (:first_tenant_id, :first_id) AND"
                + " (tenant_id, id) <= (:last_tenant_id, :last_id), or it would run on the whole table in every batch");
    }
}
