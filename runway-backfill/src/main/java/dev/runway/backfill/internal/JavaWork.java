package dev.runway.backfill.internal;

import dev.runway.backfill.BackfillBatch;
import dev.runway.backfill.JavaBackfill;
import dev.runway.core.RunwayException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link BatchWork} of a Java backfill: the {@code class=} named by the directive, loaded by name
 * (no scanning) and checked before anything changes, then called once per batch inside its
 * transaction. A failure of the class becomes a failed batch (SQLSTATE 38000, external routine
 * exception), and so does a class that ended the batch's transaction itself. Not thread-safe.
 */
public final class JavaWork implements BatchWork {
    /** SQLSTATE "external routine exception": the batch failed in the user's Java code. */
    static final String EXTERNAL = "38000";
    private final String name;
    private final JavaBackfill backfill;
    private final TableKey key;

    private JavaWork(String name, JavaBackfill backfill, TableKey key) {
        this.name = name;
        this.backfill = backfill;
        this.key = key;
    }

    /**
     * Loads and checks {@code name}: on the class path, a {@link JavaBackfill}, concrete, with a public
     * no-argument constructor. Runs none of its code but static initialisers.
     *
     * @param at {@code file:line} of the directive
     * @throws RunwayException USAGE naming {@code at} and what to fix
     */
    public static Constructor<? extends JavaBackfill> check(String name, ClassLoader loader, String at) {
        Class<?> c;
        try {
            c = Class.forName(name, true, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw RunwayException.usage(at + ": backfill class " + name + " is not on the class path (CLI: --classpath or"
                    + " RUNWAY_CLASSPATH with its jar or classes directory; Java API: BackfillConfig.classLoader)");
        } catch (LinkageError e) {
            throw RunwayException.usage(at + ": backfill class " + name + " cannot be loaded: " + e);
        }
        if (!JavaBackfill.class.isAssignableFrom(c)) {
            throw RunwayException.usage(at + ": backfill class " + name + " does not implement " + JavaBackfill.class.getName());
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || !Modifier.isPublic(c.getModifiers())) {
            throw RunwayException.usage(at + ": backfill class " + name + " must be a public concrete class");
        }
        try {
            return c.asSubclass(JavaBackfill.class).getConstructor();
        } catch (NoSuchMethodException e) {
            throw RunwayException.usage(at + ": backfill class " + name + " needs a public constructor without parameters");
        }
    }

    /** Checks and instantiates {@code name} for one run. */
    public static JavaWork load(String name, ClassLoader loader, TableKey key, String at) {
        Constructor<? extends JavaBackfill> ctor = check(name, loader, at);
        try {
            return new JavaWork(name, ctor.newInstance(), key);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            throw RunwayException.usage(at + ": backfill class " + name + " could not be created: " + cause);
        }
    }

    @Override
    public long run(Connection c, Walk.Bounds b) throws SQLException {
        String tx = transaction(c);
        long rows;
        try {
            rows = backfill.run(new Batch(c, b));
        } catch (SQLException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new SQLException(name + " failed: " + e, EXTERNAL, e);
        }
        if (c.isClosed() || c.getAutoCommit() || !tx.equals(transaction(c))) {
            throw new SQLException(name + " ended the batch's transaction itself (commit, rollback, close or auto-commit);"
                    + " a Java backfill must leave that to Runway, which commits the batch with its checkpoint", EXTERNAL);
        }
        return Math.max(0, rows);
    }

    /** The current transaction's start time: it changes when the class commits or rolls back. */
    private static String transaction(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT transaction_timestamp()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The batch handed to the class. */
    private final class Batch implements BackfillBatch {
        private final Connection c;
        private final Walk.Bounds b;

        Batch(Connection c, Walk.Bounds b) {
            this.c = c;
            this.b = b;
        }

        @Override
        public Connection connection() {
            return c;
        }

        @Override
        public String table() {
            return key.table();
        }

        @Override
        public List<String> keyColumns() {
            return key.names();
        }

        @Override
        public List<String> first() {
            return b.first();
        }

        @Override
        public List<String> last() {
            return b.last();
        }

        @Override
        public String range() {
            return key.range();
        }

        @Override
        public int bindRange(PreparedStatement ps, int index) throws SQLException {
            return Walk.bind(ps, Walk.bind(ps, index, b.first()), b.last());
        }

        @Override
        public List<List<Object>> keys() throws SQLException {
            List<List<Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + key.list("t") + " FROM " + key.table() + " t WHERE "
                    + key.row("t") + " >= " + key.params() + " AND " + key.row("t") + " <= " + key.params() + key.orderBy("t", false))) {
                bindRange(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Object> k = new ArrayList<>();
                        for (int i = 1; i <= key.columns().size(); i++) {
                            k.add(rs.getObject(i));
                        }
                        out.add(k);
                    }
                }
            }
            return out;
        }
    }
}
