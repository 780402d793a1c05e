package dev.runway.lint.internal.rules;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the static rules know about the schema from the migrations read so far (earlier files and
 * earlier statements): column types, and NOT NULL checks and their validation. It lets the static
 * gate accept the safe recipes (SET NOT NULL after a validated CHECK, varchar widening) without a
 * database. Not thread-safe; one per run.
 */
final class SchemaModel {
    private final Map<String, Map<String, String>> columns = new HashMap<>();
    /** constraint name -> "table.column" for CHECK (column IS NOT NULL). */
    private final Map<String, String> notNullChecks = new HashMap<>();
    private final Set<String> validatedNotNull = new HashSet<>();
    private final Set<String> tables = new HashSet<>();

    void table(String table) {
        tables.add(table);
        columns(table);
    }

    boolean knowsTable(String table) {
        return tables.contains(table);
    }

    void dropTable(String table) {
        tables.remove(table);
        columns.remove(table);
    }

    void column(String table, String column, String type) {
        columns(table).put(column, type);
    }

    /** The columns of {@code table}, an empty map put in first when there is none (computeIfAbsent without a lambda to link). */
    private Map<String, String> columns(String table) {
        Map<String, String> m = columns.get(table);
        if (m == null) {
            m = new HashMap<>();
            columns.put(table, m);
        }
        return m;
    }

    /** The column's type as last written, lower-case, e.g. "varchar(20)", or null when unknown. */
    String type(String table, String column) {
        Map<String, String> m = columns.get(table);
        return m == null ? null : m.get(column);
    }

    void notNullCheck(String constraint, String table, String column, boolean validated) {
        notNullChecks.put(constraint, table + "." + column);
        if (validated) {
            validatedNotNull.add(table + "." + column);
        }
    }

    void validated(String constraint) {
        String tc = notNullChecks.get(constraint);
        if (tc != null) {
            validatedNotNull.add(tc);
        }
    }

    boolean hasValidatedNotNullCheck(String table, String column) {
        return validatedNotNull.contains(table + "." + column);
    }
}
