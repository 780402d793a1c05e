package dev.runway.migrate.internal;

import dev.runway.core.pg.PgSession;
import dev.runway.migrate.dir.MigrationVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads Flyway's {@code flyway_schema_history} so {@code runway baseline} can adopt a Flyway-managed database. */
public final class FlywayHistory {
    private FlywayHistory() {
    }

    /** The newest version Flyway applied successfully in {@code schema}, or null when there is none. */
    public static MigrationVersion newestVersion(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, PgSession.ident(schema) + ".flyway_schema_history");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return null;
                }
            }
        }
        MigrationVersion newest = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM " + PgSession.ident(schema)
                + ".flyway_schema_history WHERE success AND version IS NOT NULL")) {
            while (rs.next()) {
                MigrationVersion v = MigrationVersion.parse(rs.getString(1));
                if (newest == null || v.compareTo(newest) > 0) {
                    newest = v;
                }
            }
        }
        return newest;
    }
}
