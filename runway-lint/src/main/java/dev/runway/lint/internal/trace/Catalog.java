package dev.runway.lint.internal.trace;

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
            + " AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname <> '" + Touched.SCHEMA + "' ";
    /** key, value, object id, xmin of the rows the value is made of, FROM ... WHERE ... */
    private static final String[][] PARTS = {
        {"'table ' || n.nspname || '.' || c.relname", "c.relkind::text", "c.oid::text", "c.xmin::text::bigint",
            "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','m','v','S') AND" + USER_NS},
        {"'column ' || n.nspname || '.' || c.relname || '.' || a.attname",
            "format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                + " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')", "c.oid || ':' || a.attnum",
            "greatest(a.xmin::text::bigint, coalesce(d.xmin::text::bigint, 0))",
            "pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','m','v') AND" + USER_NS},
        {"'constraint ' || n.nspname || '.' || c.relname || '.' || co.conname",
            "pg_get_constraintdef(co.oid) || CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END", "co.oid::text",
            "co.xmin::text::bigint",
            "pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" + USER_NS},
        {"'index ' || n.nspname || '.' || i.relname", "pg_get_indexdef(i.oid) || CASE WHEN x.indisvalid THEN '' ELSE ' (invalid)' END",
            "i.oid::text", "greatest(x.xmin::text::bigint, i.xmin::text::bigint)",
            "pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE" + USER_NS},
        {"'enum ' || n.nspname || '.' || t.typname || '.' || e.enumsortorder", "e.enumlabel::text", "t.oid || ':' || e.enumsortorder",
            "e.xmin::text::bigint", "pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE" + USER_NS},
        {"'type ' || n.nspname || '.' || t.typname", "t.typtype::text", "t.oid::text", "t.xmin::text::bigint",
            "pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e','d') AND" + USER_NS},
        {"'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'",
            "md5(coalesce(p.prosrc, ''))", "p.oid::text", "p.xmin::text::bigint",
            "pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE" + USER_NS},
    };
    private static final String SQL = sql(-1);
    /**
     * Per scoped select: the part of {@link #PARTS} it reads and the condition that restricts it to
     * touched objects ($1 relations, $2 types, $3 functions, $4 constraints, $5 column defaults, each an
     * oid[]; see {@link Touched.Scope}): a relation brings its columns, constraints and indexes.
     */
    private static final String[][] SCOPES = {
        {"0", "c.oid = ANY ($1)"},
        {"1", "c.oid = ANY ($1)"},
        {"1", "d.oid = ANY ($5)"},
        {"2", "co.conrelid = ANY ($1)"},
        {"2", "co.oid = ANY ($4)"},
        {"3", "x.indrelid = ANY ($1)"},
        {"3", "x.indexrelid = ANY ($1)"},
        {"4", "t.oid = ANY ($2)"},
        {"5", "t.oid = ANY ($2)"},
        {"6", "p.oid = ANY ($3)"},
    };

    /**
     * The snapshot of the objects in the five oid[] parameters $1..$5 (index lookups by object id; an
     * object may come twice): the body of {@link Touched}'s snapshot function, whose generic plan is
     * made once per session.
     */
    static String scopedSql() {
        StringBuilder b = new StringBuilder();
        for (String[] s : SCOPES) {
            String[] p = PARTS[Integer.parseInt(s[0])];
            b.append(b.length() > 0 ? " UNION ALL " : "").append("SELECT ").append(p[0]).append(", ").append(p[1]).append(", ")
                    .append(p[2]).append(" FROM ").append(p[4]).append(" AND ").append(s[1]);
        }
        return b.toString();
    }

    /**
     * The snapshot query. With {@code since >= 0}, rows last written before transaction id {@code since}
     * are summarised as {@code o<id>:<xmin>} instead of their definition (the same tuple means the same
     * definition), so hashing a big schema only deparses what this transaction touched.
     */
    private static String sql(long since) {
        StringBuilder b = new StringBuilder();
        for (String[] p : PARTS) {
            if (b.length() > 0) {
                b.append(" UNION ALL ");
            }
            String value = since < 0 ? p[1] : "CASE WHEN " + p[3] + " >= " + since + " THEN " + p[1] + " ELSE 'o' || " + p[2]
                    + " || ':' || " + p[3] + " END";
            b.append("SELECT ").append(p[0]).append(", ").append(value).append(", ").append(p[2]).append(" FROM ").append(p[4]);
        }
        return b.toString();
    }

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

    /**
     * A snapshot from rows of {@link #scopedSql()} (key, value, object id) left in {@code rs}. Scoped
     * snapshots of the objects a round trip touched, equal before and after it, mean equal schemas:
     * every other catalog row is the same tuple.
     */
    static Catalog from(ResultSet rs) throws SQLException {
        Map<String, String> v = new TreeMap<>();
        Map<String, String> id = new HashMap<>();
        while (rs.next()) {
            v.put(rs.getString(1), rs.getString(2));
            id.put(rs.getString(1), rs.getString(3));
        }
        return new Catalog(v, id);
    }

    /** True when both snapshots hold the same objects with the same definitions. */
    boolean sameAs(Catalog other) {
        return values.equals(other.values);
    }

    /** The current transaction's id as a 32-bit xid (assigning one if needed); every row it writes has an xmin at least this. */
    public static long transactionXid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT txid_current() % 4294967296")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * An md5 of the snapshot, computed by the server: equal hashes mean equal schemas (read the details
     * only on a mismatch). Objects last written before {@code since} (see {@link #transactionXid}) are
     * hashed by identity and xmin, not by definition; pass -1 to hash definitions throughout.
     */
    public static String hash(Connection c, long since) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT md5(coalesce(string_agg(k || '=' || v, ',' ORDER BY k), '')) FROM (" + sql(since)
                     + ") x(k, v, id)")) {
            rs.next();
            return rs.getString(1);
        }
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
