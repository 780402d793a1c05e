package dev.runway.lint.trace;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the user schema, read in one query: relations, columns (type, NOT NULL, default),
 * constraints (definition, validated), indexes (definition, valid), enum labels, domains and
 * functions. Keys are names ("column public.orders.note") so snapshots from different databases
 * compare; each entry also keeps an object id so renames can be told from drop + create. Immutable.
 */
public final class Catalog {
    private static final String USER_NS = " n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
            + " AND n.nspname NOT LIKE 'pg\\_temp%' ";
    private static final String SQL = "SELECT 'table ' || n.nspname || '.' || c.relname, c.relkind::text, c.oid::text"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','m','v','S') AND" + USER_NS
            + " UNION ALL SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname,"
            + " format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
            + " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), c.oid || ':' || a.attnum"
            + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','m','v') AND" + USER_NS
            + " UNION ALL SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname,"
            + " pg_get_constraintdef(co.oid) || CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END, co.oid::text"
            + " FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" + USER_NS
            + " UNION ALL SELECT 'index ' || n.nspname || '.' || i.relname,"
            + " pg_get_indexdef(i.oid) || CASE WHEN x.indisvalid THEN '' ELSE ' (invalid)' END, i.oid::text"
            + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE" + USER_NS
            + " UNION ALL SELECT 'enum ' || n.nspname || '.' || t.typname || '.' || e.enumsortorder, e.enumlabel, t.oid || ':' || e.enumsortorder"
            + " FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE" + USER_NS
            + " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname, t.typtype::text, t.oid::text"
            + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e','d') AND" + USER_NS
            + " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
            + " md5(coalesce(p.prosrc, '')), p.oid::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE" + USER_NS;

    private final Map<String, String> values;
    private final Map<String, String> ids;

    private Catalog(Map<String, String> values, Map<String, String> ids) {
        this.values = values;
        this.ids = ids;
    }

    /** Reads the snapshot on {@code c} (inside the caller's transaction, so uncommitted changes show). */
    public static Catalog read(Connection c) throws SQLException {
        Map<String, String> v = new TreeMap<>();
        Map<String, String> id = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SQL)) {
            while (rs.next()) {
                v.put(rs.getString(1), rs.getString(2));
                id.put(rs.getString(1), rs.getString(3));
            }
        }
        return new Catalog(v, id);
    }

    /** Name-based differences, e.g. "missing column public.legacy.code (text)", "changed ...: a -> b"; empty when equal. */
    public List<String> differences(Catalog other) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String o = other.values.get(e.getKey());
            if (o == null) {
                out.add("missing " + e.getKey() + " (" + e.getValue() + ")");
            } else if (!o.equals(e.getValue())) {
                out.add("changed " + e.getKey() + ": " + e.getValue() + " -> " + o);
            }
        }
        for (Map.Entry<String, String> e : other.values.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                out.add("extra " + e.getKey() + " (" + e.getValue() + ")");
            }
        }
        return out;
    }

    /**
     * Changes from this (before) to {@code after} that break a release still running: "drop-table t",
     * "drop-column t.c", "rename-table a b", "rename-column t.a b", "rename-enum-value type old new".
     */
    public List<String> breakingChanges(Catalog after) {
        Map<String, String> afterById = new HashMap<>();
        after.ids.forEach((k, id) -> afterById.put(kind(k) + "#" + id, k));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            String key = e.getKey();
            String kind = kind(key);
            if (!kind.equals("table") && !kind.equals("column") && !kind.equals("enum")) {
                continue;
            }
            String now = afterById.get(kind + "#" + e.getValue());
            String[] name = key.substring(kind.length() + 1).split("\\.");
            if (kind.equals("table") && "r p".contains(values.get(key))) {
                if (now == null) {
                    out.add("drop-table " + name[1]);
                } else if (!now.equals(key)) {
                    out.add("rename-table " + name[1] + " " + now.substring(now.lastIndexOf('.') + 1));
                }
            } else if (kind.equals("column")) {
                String tableId = e.getValue().substring(0, e.getValue().indexOf(':'));
                boolean tableAlive = afterById.containsKey("table#" + tableId);
                if (now == null && tableAlive) {
                    out.add("drop-column " + name[1] + "." + name[2]);
                } else if (now != null && !now.substring(now.lastIndexOf('.') + 1).equals(name[2])) {
                    out.add("rename-column " + name[1] + "." + name[2] + " " + now.substring(now.lastIndexOf('.') + 1));
                }
            } else if (kind.equals("enum") && now != null && !after.values.get(now).equals(values.get(key))) {
                out.add("rename-enum-value " + name[1] + " " + values.get(key) + " " + after.values.get(now));
            }
        }
        return out;
    }

    private static String kind(String key) {
        return key.substring(0, key.indexOf(' '));
    }
}
