package dev.runway.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Test helper: small queries. */
final class Db {
    private Db() {
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static boolean exists(Connection c, String relation) throws SQLException {
        return count(c, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + relation + "')") == 1;
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A snapshot of user schema objects (tables, columns, indexes, functions) for "database unchanged" assertions. */
    static List<String> schema(Connection c) throws SQLException {
        List<String> out = strings(c, "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns"
                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') UNION ALL"
                + " SELECT 'index ' || indexname || ' valid=' || i.indisvalid FROM pg_indexes x"
                + " JOIN pg_index i ON i.indexrelid = to_regclass(quote_ident(x.schemaname) || '.' || quote_ident(x.indexname))"
                + " WHERE schemaname NOT IN ('pg_catalog') UNION ALL"
                + " SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1");
        if (exists(c, "runway_schema_history")) {
            out.addAll(strings(c, "SELECT 'row ' || kind || ' ' || version || ' ' || status || ' ' || statements_done"
                    + " FROM runway_schema_history ORDER BY kind, version"));
        }
        return out;
    }
}
