package dev.runway.migrate.backfill;

import java.util.ArrayList;
import java.util.List;

/**
 * The last key a backfill has done: every key up to it (in the walk's index order) is done, the next
 * batch starts after it. Values are the PostgreSQL text form of each key column ({@code key::text}),
 * which the column type's input function reads back exactly. Immutable.
 *
 * @param columns the key columns, in walk order
 * @param types   their types ({@code format_type}, no modifiers), same order
 * @param values  the text form of each column's value, same order
 */
public record KeyPosition(List<String> columns, List<String> types, List<String> values) {
    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    public KeyPosition {
        columns = List.copyOf(columns);
        types = List.copyOf(types);
        values = List.copyOf(values);
        if (columns.size() != values.size() || types.size() != values.size()) {
            throw new IllegalArgumentException("key position: " + columns + " " + types + " " + values);
        }
    }

    /** {@code 45000}, {@code 'b1f0…'} or {@code (7, 'b1f0…')}: numbers as they are, other values quoted like SQL literals. */
    public String valueText() {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            boolean number = INTEGERS.contains(types.get(i)) || types.get(i).equals("numeric");
            shown.add(number ? values.get(i) : "'" + values.get(i).replace("'", "''") + "'");
        }
        return shown.size() == 1 ? shown.get(0) : "(" + String.join(", ", shown) + ")";
    }

    /** {@code id 45000} or {@code (tenant_id, id) (7, 'b1f0…')}. */
    public String display() {
        return (columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")") + " " + valueText();
    }

    /** For one smallint/integer/bigint key: the key after this one (where the next batch starts); else null. */
    public Long nextIntegerKey() {
        if (values.size() != 1 || !INTEGERS.contains(types.get(0))) {
            return null;
        }
        long v = Long.parseLong(values.get(0));
        return v == Long.MAX_VALUE ? null : v + 1;
    }
}
