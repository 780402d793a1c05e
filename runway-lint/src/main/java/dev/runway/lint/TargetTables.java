package dev.runway.lint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the release gate knows about the target: the tables that exist before this run with their
 * real sizes, and the tables the pending migrations create. Immutable.
 *
 * @param sizes        existing tables by unqualified name (the largest when several schemas have one)
 * @param createdInRun tables (and materialized views, indexes) created by the pending migrations themselves
 */
public record TargetTables(Map<String, TableSize> sizes, Set<String> createdInRun) {
    /**
     * The sizes of a table (partitioned or inheritance parents include their children): heap,
     * total with indexes and TOAST, planner row estimate (-1 when never analyzed). Only catalog reads
     * and size functions; no lock beyond what they take.
     */
    private static final String SIZES = "WITH RECURSIVE named AS ("
            + " SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND (?::text[] IS NULL OR c.relname = ANY (?::text[]))),"
            + " tree AS (SELECT oid AS root, oid AS rel FROM named"
            + " UNION ALL SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.rel)"
            + " SELECT n.relname, sum(pg_relation_size(t.rel))::bigint, sum(pg_total_relation_size(t.rel))::bigint,"
            + " CASE WHEN bool_and(c.reltuples < 0) THEN -1 ELSE sum(greatest(c.reltuples, 0)) END::bigint"
            + " FROM named n JOIN tree t ON t.root = n.oid JOIN pg_class c ON c.oid = t.rel GROUP BY n.oid, n.relname";

    /** The size of {@code table}, or null when it does not exist (before this run). */
    public TableSize size(String table) {
        return sizes.get(table);
    }

    /**
     * Reads the sizes of the named tables (all user tables when {@code names} is null) on {@code c},
     * e.g. the session holding the migration lock.
     */
    public static Map<String, TableSize> read(Connection c, Collection<String> names) throws SQLException {
        Map<String, TableSize> out = new HashMap<>();
        if (names != null && names.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(SIZES)) {
            Array a = names == null ? null : c.createArrayOf("text", names.toArray());
            ps.setArray(1, a);
            ps.setArray(2, a);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableSize s = new TableSize(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    out.merge(s.table(), s, (x, y) -> x.totalBytes() >= y.totalBytes() ? x : y);
                }
            }
        }
        return out;
    }
}
