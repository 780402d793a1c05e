package dev.runway.backfill.internal;

import static dev.runway.core.pg.PgSession.ident;

import java.util.ArrayList;
import java.util.List;

/**
 * A backfill's table and key as the catalog describes them, with the index that walks the key in its
 * order, and the SQL fragments the walk and the batch statements are made of. Key values travel as
 * their PostgreSQL text form ({@code key::text}) and come back as {@code CAST(? AS type)}: the type's
 * own output and input functions, so any orderable type (uuid, text in any collation, timestamps,
 * numeric, composite keys of them) round-trips exactly. Immutable.
 *
 * @param table   the table, quoted and qualified as the directive names it
 * @param columns the key columns in walk order
 * @param index   the name of the index whose order the walk follows
 */
public record TableKey(String table, List<Column> columns, String index) {
    /**
     * One key column.
     *
     * @param name     the column name as in the directive
     * @param type     {@code format_type(atttypid, NULL)}: the type without modifiers, for casts
     * @param integer  smallint, integer or bigint: {@code :lo}/{@code :hi} (half-open) are possible
     */
    public record Column(String name, String type, boolean integer) {
    }

    public TableKey {
        columns = List.copyOf(columns);
    }

    /** True for one smallint/integer/bigint column: the key has a next value, so {@code :hi} = last + 1 exists. */
    public boolean singleInteger() {
        return columns.size() == 1 && columns.get(0).integer();
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.name()));
        return out;
    }

    public List<String> types() {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.type()));
        return out;
    }

    /** The position of {@code name} among the key columns, -1 when it is not one. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code alias."a", alias."b"} (no alias when {@code alias} is null). */
    String list(String alias) {
        StringBuilder b = new StringBuilder();
        for (Column c : columns) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(alias == null ? "" : alias + ".").append(ident(c.name()));
        }
        return b.toString();
    }

    /** {@code (alias."a", alias."b")}: a row constructor, compared row-wise in the index's order. */
    String row(String alias) {
        return "(" + list(alias) + ")";
    }

    /** {@code (CAST(? AS integer), CAST(? AS uuid))}: one parameter per column, bound with the text form. */
    String params() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(cast(i));
        }
        return b.append(')').toString();
    }

    /** {@code CAST(? AS <type of column i>)}. */
    public String cast(int i) {
        return "CAST(? AS " + columns.get(i).type() + ")";
    }

    /** {@code ORDER BY alias."a", alias."b"} (each {@code DESC} when {@code desc}). */
    String orderBy(String alias, boolean desc) {
        StringBuilder b = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < columns.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(alias).append('.').append(ident(columns.get(i).name())).append(desc ? " DESC" : "");
        }
        return b.toString();
    }

    /** The condition that selects exactly the keys from {@code first} to {@code last}, both inclusive; unqualified names. */
    public String range() {
        return row(null) + " >= " + params() + " AND " + row(null) + " <= " + params();
    }

    /** {@code id} or {@code (tenant_id, id)}, for messages. */
    public String display() {
        return columns.size() == 1 ? columns.get(0).name() : "(" + String.join(", ", names()) + ")";
    }

    /** The position after a batch that ended at {@code last}. */
    public dev.runway.migrate.backfill.KeyPosition position(List<String> last) {
        return new dev.runway.migrate.backfill.KeyPosition(names(), types(), last);
    }
}
