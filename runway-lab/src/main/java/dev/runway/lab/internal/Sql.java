package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Tiny JDBC helpers for the lab's own queries (quoting: {@link dev.runway.core.pg.PgSession#ident}, {@code literal}). Stateless; thread-safe. */
public final class Sql {
    private Sql() {
    }

    /** Connects with user postgres (trust auth), a 10 s connect timeout and application_name runway-lab. */
    public static Connection connect(String jdbcUrl, String what) {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "runway-lab");
        try {
            return DriverManager.getConnection(jdbcUrl, p);
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot connect to " + what + ": " + e.getMessage(), e);
        }
    }

    /** Runs a query and returns the first column of every row as text. */
    public static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** First column of the first row, or null. */
    public static String one(Connection c, String sql) throws SQLException {
        List<String> rows = column(c, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
