package dev.runway.lint.internal.trace;

import java.util.List;

/**
 * What the trace saw for one top-level up statement.
 *
 * @param index   statement index in the up section
 * @param line    1-based line
 * @param traced  false when the statement could not run inside the trace transaction (CONCURRENTLY,
 *                VACUUM, transaction control) or an earlier statement failed
 * @param effects effects on pre-existing relations (only those with something to report)
 * @param catalog catalog changes this statement made to pre-existing objects (for opaque statements
 *                such as DO blocks and function calls), e.g. "drop-column orders.note"
 */
public record StatementTrace(int index, int line, boolean traced, List<TableEffect> effects, List<String> catalog) {
    public StatementTrace {
        effects = List.copyOf(effects);
        catalog = List.copyOf(catalog);
    }

    /** The effect on {@code table}, or null. */
    public TableEffect on(String table) {
        for (TableEffect e : effects) {
            if (e.table().equals(table)) {
                return e;
            }
        }
        return null;
    }
}
