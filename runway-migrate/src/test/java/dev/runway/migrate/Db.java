package dev.runway.migrate;

import dev.runway.lab.junit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Test helper: small queries, the shared {@link TestDatabase}'s under the names this module's tests use. */
final class Db {
    private Db() {
    }

    static long count(Connection c, String sql) throws SQLException {
        return TestDatabase.count(c, sql);
    }

    static boolean exists(Connection c, String relation) throws SQLException {
        return TestDatabase.exists(c, relation);
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        return TestDatabase.strings(c, sql);
    }

    static void exec(Connection c, String sql) throws SQLException {
        TestDatabase.exec(c, sql);
    }

    /** The "database unchanged" snapshot ({@link TestDatabase#snapshot(Connection)}). */
    static List<String> schema(Connection c) throws SQLException {
        return TestDatabase.snapshot(c);
    }
}
