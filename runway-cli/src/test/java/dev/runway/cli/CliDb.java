package dev.runway.cli;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test helper: a fresh database owned by a role with a password, reached through a URL that carries
 * the password (so every CLI test also checks that the password never shows up in any output).
 */
final class CliDb {
    static final String PASSWORD = "s3cr3t-Pa55-w0rd";
    private static final AtomicInteger N = new AtomicInteger();

    private CliDb() {
    }

    static DatabaseUrl create(Lab lab, String prefix) {
        String db = prefix + "_" + N.incrementAndGet();
        try (Connection c = lab.primary().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN"
                    + " CREATE ROLE app LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'; END IF; END$$");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        lab.createDatabase(db);
        DatabaseUrl base = lab.primary().url(db);
        return DatabaseUrl.parse("postgres://app:" + PASSWORD + "@" + base.host() + ":" + base.port() + "/" + db, "test");
    }

    static List<String> strings(Lab lab, DatabaseUrl url, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = lab.primary().connect(url.database()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Tables, columns, indexes and history rows: equal before and after means "the database is unchanged". */
    static List<String> snapshot(Lab lab, DatabaseUrl url) {
        List<String> s = strings(lab, url, "SELECT table_name || '.' || column_name FROM information_schema.columns"
                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') UNION ALL"
                + " SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1");
        if (!strings(lab, url, "SELECT 1 WHERE to_regclass('runway_schema_history') IS NOT NULL").isEmpty()) {
            s.addAll(strings(lab, url, "SELECT 'row ' || kind || version || status || statements_done FROM runway_schema_history ORDER BY 1"));
        }
        if (!strings(lab, url, "SELECT 1 WHERE to_regclass('runway_flags') IS NOT NULL").isEmpty()) {
            s.addAll(strings(lab, url, "SELECT 'flag ' || f::text FROM runway_flags f ORDER BY 1"));
        }
        return s;
    }
}
