package dev.runway.lab.junit;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test fixture every module's tests share: a fresh database on a lab's primary, SQL against it, and
 * one "database unchanged" {@link #snapshot}. Instance methods connect as the lab's superuser each time
 * and turn {@link SQLException}s into {@link IllegalStateException}s; the static ones work on a
 * connection the caller holds and throw them. Databases are left to the lab (a test lab is thrown away
 * after the run; {@link LabExtension}'s own database is dropped after its class).
 * <pre>
 * TestDatabase db = TestDatabase.create(LAB.lab(), "orders");
 * db.exec("CREATE TABLE t (id int)");
 * List&lt;String&gt; before = db.snapshot();
 * ... assertThat(db.snapshot()).isEqualTo(before);
 * </pre>
 */
public final class TestDatabase {
    private static final AtomicInteger N = new AtomicInteger();

    private final Lab lab;
    private final String name;

    private TestDatabase(Lab lab, String name) {
        this.lab = lab;
        this.name = name;
    }

    /** A new, empty database {@code <prefix>_<n>} on {@code lab}'s primary ({@code n} counts up in this JVM). */
    public static TestDatabase create(Lab lab, String prefix) {
        TestDatabase db = new TestDatabase(lab, prefix + "_" + N.incrementAndGet());
        lab.createDatabase(db.name);
        return db;
    }

    /** The existing database {@code name} on {@code lab}'s primary (e.g. {@link LabExtension#database()}, or {@code postgres}). */
    public static TestDatabase of(Lab lab, String name) {
        return new TestDatabase(lab, name);
    }

    public Lab lab() {
        return lab;
    }

    public String name() {
        return name;
    }

    /** Its URL on the primary: user {@code postgres}, no password. */
    public DatabaseUrl url() {
        return lab.primary().url(name);
    }

    /** A new connection as the lab's superuser; the caller closes it. */
    public Connection connect() {
        return lab.primary().connect(name);
    }

    /** Runs {@code sql} (one or more statements) in a connection of its own. */
    public void exec(String sql) {
        try (Connection c = connect()) {
            exec(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row as a number. */
    public long number(String sql) {
        try (Connection c = connect()) {
            return count(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row as text; null when there is no row. */
    public String text(String sql) {
        try (Connection c = connect()) {
            return text(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row as text. */
    public List<String> strings(String sql) {
        try (Connection c = connect()) {
            return strings(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #snapshot(Connection)} of this database. */
    public List<String> snapshot() {
        try (Connection c = connect()) {
            return snapshot(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void exec(Connection c, String sql) throws SQLException {
        Sql.exec(c, sql);
    }

    /** The first column of the first row as a number. */
    public static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as text; null when there is no row. */
    public static String text(Connection c, String sql) throws SQLException {
        return Sql.one(c, sql);
    }

    /** The first column of every row as text. */
    public static List<String> strings(Connection c, String sql) throws SQLException {
        return Sql.column(c, sql);
    }

    /** Whether {@code relation} (as the search path finds it) exists. */
    public static boolean exists(Connection c, String relation) throws SQLException {
        return count(c, "SELECT count(*) FROM pg_class WHERE oid = to_regclass('" + relation.replace("'", "''") + "')") == 1;
    }

    /**
     * What "the database is unchanged" compares: every column of every user table with its type, every
     * index with its validity, the functions of {@code public}, the rows of Runway's history table
     * ({@code runway_schema_history}) and of the feature flags table ({@code runway_flags}) when they exist.
     * Empty for a fresh database.
     */
    public static List<String> snapshot(Connection c) throws SQLException {
        List<String> out = strings(c, "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns"
                + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') UNION ALL"
                + " SELECT 'index ' || indexname || ' valid=' || i.indisvalid FROM pg_indexes x"
                + " JOIN pg_index i ON i.indexrelid = to_regclass(quote_ident(x.schemaname) || '.' || quote_ident(x.indexname))"
                + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') UNION ALL"
                + " SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1");
        if (exists(c, "runway_schema_history")) {
            out.addAll(strings(c, "SELECT 'row ' || kind || ' ' || version || ' ' || status || ' ' || statements_done"
                    + " FROM runway_schema_history ORDER BY kind, version"));
        }
        if (exists(c, "runway_flags")) {
            out.addAll(strings(c, "SELECT 'flag ' || f::text FROM runway_flags f ORDER BY 1"));
        }
        return out;
    }
}
