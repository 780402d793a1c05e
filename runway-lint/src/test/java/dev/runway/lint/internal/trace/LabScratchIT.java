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

    @Test
    void theLabKeepsItsDataInMemoryUnlessTheUserChoseADirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path chosen) throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove("RUNWAY_LAB_TMPDIR");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(Scratch.RAM_DIR)
                && java.nio.file.Files.isWritable(Scratch.RAM_DIR)
                && java.nio.file.Files.getFileStore(Scratch.RAM_DIR).getUsableSpace() >= Scratch.RAM_DIR_MIN_FREE, "no usable /dev/shm");
        try (Scratch s = Scratch.startLab(null, env)) {
            assertThat(s.lab().dir()).startsWith(Scratch.RAM_DIR);
        }
        env.put("RUNWAY_LAB_TMPDIR", chosen.toString());
        try (Scratch s = Scratch.startLab(null, env)) {
            assertThat(s.lab().dir()).startsWith(chosen);
        }
        assertThat(chosen).isEmptyDirectory();
    }
}
