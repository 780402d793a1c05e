package dev.runway.lint.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * On a lab server started for the run, the scratch database is the lab's {@code postgres} database (no CREATE
 * DATABASE), and the copies and rebuilds that non-transactional migrations and failures need still work.
 */
class LabScratchIT {
    private static boolean hasTable(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('" + name + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void theLabsOwnDatabaseIsTheScratchAndItCopiesAndRebuilds() throws Exception {
        java.nio.file.Path labDir;
        try (Scratch s = Scratch.startLab(null)) {
            labDir = s.lab().dir();
            assertThat(s.url().database()).isEqualTo("postgres");
            try (Statement st = s.main().createStatement()) {
                st.execute("CREATE TABLE kept (id int)");
            }
            try (Connection copy = s.copy()) {
                assertThat(hasTable(copy, "kept")).as("the copy has the scratch schema").isTrue();
            }
            s.dropCopy();
            assertThat(hasTable(s.main(), "kept")).isTrue();
            s.recreate();
            assertThat(hasTable(s.main(), "kept")).as("rebuilt empty").isFalse();
            try (Statement st = s.main().createStatement(); ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("postgres");
            }
        }
        assertThat(labDir).doesNotExist();
    }
}
