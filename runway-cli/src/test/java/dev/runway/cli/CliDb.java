package dev.runway.cli;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.junit.TestDatabase;
import java.util.List;

/**
 * Test helper: a fresh database ({@link TestDatabase}) owned by a role with a password, reached through a
 * URL that carries the password (so every CLI test also checks that the password never shows up in any output).
 */
final class CliDb {
    static final String PASSWORD = "s3cr3t-Pa55-w0rd";

    private CliDb() {
    }

    static synchronized DatabaseUrl create(Lab lab, String prefix) {
        TestDatabase.of(lab, "postgres").exec("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN"
                + " CREATE ROLE app LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'; END IF; END$$");
        DatabaseUrl base = TestDatabase.create(lab, prefix).url();
        return DatabaseUrl.parse("postgres://app:" + PASSWORD + "@" + base.host() + ":" + base.port() + "/" + base.database(), "test");
    }

    static List<String> strings(Lab lab, DatabaseUrl url, String sql) {
        return TestDatabase.of(lab, url.database()).strings(sql);
    }

    /** The shared "database unchanged" snapshot ({@link TestDatabase#snapshot(java.sql.Connection)}). */
    static List<String> snapshot(Lab lab, DatabaseUrl url) {
        return TestDatabase.of(lab, url.database()).snapshot();
    }
}
