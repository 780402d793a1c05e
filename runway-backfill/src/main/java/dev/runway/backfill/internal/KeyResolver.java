package dev.runway.backfill.internal;

import static dev.runway.core.pg.PgSession.ident;

import dev.runway.backfill.BackfillSpec;
import dev.runway.core.RunwayException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a backfill's table and key against the catalog, before anything changes, and finds the index
 * the walk follows: a valid, non-partial btree index whose leading columns are exactly the key columns
 * in order, with each column's default operator class and collation (so the index order is the order
 * of {@code ORDER BY key} and of row comparisons in the column's collation), all ascending or all
 * descending (a backward scan). Without one every batch would scan the table, so the key is refused
 * with the {@code CREATE INDEX} to run first. Stateless.
 */
public final class KeyResolver {
    private KeyResolver() {
    }

    /**
     * @param at {@code file:line} of the directive
     * @throws RunwayException USAGE naming {@code at}: no such table or column, no usable index, NULL keys
     */
    public static TableKey resolve(Connection c, BackfillSpec spec, String at) throws SQLException {
        String shown = (spec.schema() == null ? "" : spec.schema() + ".") + spec.table();
        long oid;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, c.relkind FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, spec.qualifiedTable());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw RunwayException.usage(at + ": backfill table '" + shown + "' does not exist");
                }
                oid = rs.getLong(1);
                String kind = rs.getString(2);
                if (!kind.equals("r") && !kind.equals("p")) {
                    throw RunwayException.usage(at + ": backfill table '" + shown + "' is not a table (relkind " + kind
                            + "); name the table itself");
                }
            }
        }
        Map<String, Object[]> found = new HashMap<>(); // name -> {type, integer, notnull, attnum, collation}
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL), a.atttypid IN (20, 21, 23),"
                + " a.attnotnull, a.attnum, a.attcollation FROM pg_attribute a WHERE a.attrelid = CAST(? AS oid) AND a.attnum > 0"
                + " AND NOT a.attisdropped AND a.attname = ANY (?)")) {
            ps.setLong(1, oid);
            ps.setArray(2, c.createArrayOf("text", spec.key().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Object[] {rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getInt(5),
                        rs.getLong(6)});
                }
            }
        }
        List<TableKey.Column> columns = new ArrayList<>();
        int[] attnums = new int[spec.key().size()];
        long[] collations = new long[attnums.length];
        List<String> nullable = new ArrayList<>();
        for (int i = 0; i < attnums.length; i++) {
            String name = spec.key().get(i);
            Object[] a = found.get(name);
            if (a == null) {
                throw RunwayException.usage(at + ": backfill key '" + name + "' is not a column of " + spec.table());
            }
            columns.add(new TableKey.Column(name, (String) a[0], (Boolean) a[1]));
            if (!(Boolean) a[2]) {
                nullable.add(name);
            }
            attnums[i] = (Integer) a[3];
            collations[i] = (Long) a[4];
        }
        TableKey partial = new TableKey(spec.qualifiedTable(), columns, null);
        String index = usableIndex(c, oid, attnums, collations, partial, spec, shown, at);
        TableKey key = new TableKey(spec.qualifiedTable(), columns, index);
        refuseNulls(c, key, nullable, at);
        return key;
    }

    private static String usableIndex(Connection c, long table, int[] attnums, long[] collations, TableKey key, BackfillSpec spec,
                                      String shown, String at) throws SQLException {
        List<String> why = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ic.relname, am.amname, i.indisvalid AND i.indisready AND i.indislive,"
                + " i.indpred IS NOT NULL, i.indnkeyatts, i.indkey::int2[], i.indoption::int2[], i.indcollation::oid[],"
                // per column: does its operator class sort like the type's default one (varchar_ops does, text_pattern_ops not)
                + " ARRAY(SELECT o.opcfamily IN (SELECT d.opcfamily FROM pg_opclass d WHERE d.opcmethod = o.opcmethod"
                + " AND d.opcdefault AND d.opcintype = o.opcintype) FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(oid, n)"
                + " JOIN pg_opclass o ON o.oid = u.oid ORDER BY u.n)"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam"
                + " WHERE i.indrelid = CAST(? AS oid) ORDER BY i.indisprimary DESC, i.indisunique DESC, ic.relname")) {
            ps.setLong(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    int[] keys = ints(rs.getArray(6));
                    String problem = problem(name, rs.getString(2), rs.getBoolean(3), rs.getBoolean(4), rs.getInt(5), keys,
                            ints(rs.getArray(7)), longs(rs.getArray(8)), bools(rs.getArray(9)), attnums, collations, key);
                    if (problem == null) {
                        return name;
                    }
                    if (keys.length > 0 && Arrays.stream(keys).anyMatch(k -> k == attnums[0])) {
                        why.add(problem); // only indexes that touch the key are worth explaining
                    }
                }
            }
        }
        String unordered = unorderable(c, key);
        if (unordered != null) {
            throw RunwayException.usage(at + ": backfill key " + key.display() + " of " + shown + " cannot be walked in order: "
                    + unordered + "; choose a key of an orderable type (e.g. the primary key)");
        }
        throw RunwayException.usage(at + ": backfill key " + key.display() + " of " + shown + " has no usable index, so every"
                + " batch would scan the table; create one first, in a schema migration: CREATE INDEX CONCURRENTLY ON "
                + spec.qualifiedTable() + " (" + key.list(null) + ")" + (why.isEmpty() ? "" : " (not usable: " + String.join("; ", why) + ")"));
    }

    /** Why index {@code name} cannot walk the key, or null when it can. */
    static String problem(String name, String am, boolean valid, boolean partial, int keyAtts, int[] keys, int[] options,
                          long[] collations, boolean[] defaultOpclass, int[] attnums, long[] columnCollations, TableKey key) {
        if (!am.equals("btree")) {
            return name + " is a " + am + " index, which has no order";
        }
        if (!valid) {
            return name + " is not valid (a failed CREATE INDEX CONCURRENTLY? drop it and build it again)";
        }
        if (partial) {
            return name + " is partial (it covers only some rows)";
        }
        if (keyAtts < attnums.length) {
            return name + " has fewer key columns than " + key.display();
        }
        for (int i = 0; i < attnums.length; i++) {
            if (keys[i] != attnums[i]) {
                return name + " does not start with " + key.display();
            }
        }
        for (int i = 0; i < attnums.length; i++) {
            String col = key.columns().get(i).name();
            if (!defaultOpclass[i]) {
                return name + " sorts " + col + " with a non-default operator class (e.g. text_pattern_ops), not in its collation's order";
            }
            if (collations[i] != columnCollations[i]) {
                return name + " sorts " + col + " in another collation than the column's";
            }
            if (options[i] != options[0] || options[i] != 0 && options[i] != 3) {
                return name + " mixes sort directions or NULLS FIRST/LAST over " + key.display();
            }
        }
        return null;
    }

    /** Null when the key columns can be ordered; else the database's reason (e.g. no ordering operator for type json). */
    private static String unorderable(Connection c, TableKey key) throws SQLException {
        Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try (Statement st = c.createStatement()) {
            st.execute("EXPLAIN SELECT 1 FROM " + key.table() + " t" + key.orderBy("t", false));
            return null;
        } catch (SQLException e) {
            if (sp != null) {
                c.rollback(sp);
            }
            return e.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
        } finally {
            if (sp != null) {
                c.releaseSavepoint(sp);
            }
        }
    }

    private static void refuseNulls(Connection c, TableKey key, List<String> nullable, String at) throws SQLException {
        if (nullable.isEmpty()) {
            return;
        }
        StringBuilder cond = new StringBuilder();
        for (String n : nullable) {
            cond.append(cond.length() == 0 ? "" : " OR ").append(ident(n)).append(" IS NULL");
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + key.table() + " WHERE " + cond + ")")) {
            rs.next();
            if (rs.getBoolean(1)) {
                throw RunwayException.usage(at + ": backfill key " + key.display() + " has rows where " + String.join(" or ", nullable)
                        + " IS NULL, which the walk would never visit; fill them and add NOT NULL first, or choose another key");
            }
        }
    }

    private static int[] ints(Array a) throws SQLException {
        return Arrays.stream((Object[]) a.getArray()).mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    private static long[] longs(Array a) throws SQLException {
        return Arrays.stream((Object[]) a.getArray()).mapToLong(v -> ((Number) v).longValue()).toArray();
    }

    private static boolean[] bools(Array a) throws SQLException {
        Object[] v = (Object[]) a.getArray();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (Boolean) v[i];
        }
        return out;
    }
}
