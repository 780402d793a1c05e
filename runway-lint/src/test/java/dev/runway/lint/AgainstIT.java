package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.SqlFiles;
import dev.runway.lint.internal.trace.Catalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code check --against}: the schema and real sizes come from the target, which is never modified
 * and never locked beyond ACCESS SHARE. Proof: while check runs, a side session holds EXCLUSIVE on
 * every target table (EXCLUSIVE conflicts with every mode except ACCESS SHARE, so any stronger
 * request would block and time the test out); a monitor polls pg_locks on the target for every
 * other session; catalog and row counts are compared before and after.
 */
class AgainstIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @Test
    void readsTheTargetWithoutChangingOrLockingIt() throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text)");
            st.execute("CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, note varchar(50))");
            st.execute("INSERT INTO users (email) SELECT 'u' || g FROM generate_series(1, 20000) g");
            st.execute("INSERT INTO orders (user_id, note) SELECT g % 20000, 'n' || g FROM generate_series(1, 200000) g");
            st.execute("ANALYZE");
            st.execute("CREATE TABLE runway_schema_history (version text, kind text, status text)");
            st.execute("INSERT INTO runway_schema_history VALUES ('20250101000000', 'schema', 'applied')");
        }
        CheckedMigration applied = SqlFiles.parse("-- runway:up\nCREATE TABLE users (id bigint);\n", "20250101000000_init.sql");
        CheckedMigration pending = SqlFiles.parse("-- runway:up\nCREATE INDEX orders_user_idx ON orders (user_id);\n"
                + "ALTER TABLE orders ALTER COLUMN note TYPE varchar(20);\n", "20250201000000_next.sql");
        Catalog before;
        long rowsBefore;
        try (Connection c = LAB.connect()) {
            before = Catalog.read(c);
            rowsBefore = count(c);
        }
        Set<String> seen = new ConcurrentSkipListSet<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection side = LAB.connect(); Statement s = side.createStatement(); Connection mon = LAB.connect()) {
            side.setAutoCommit(false);
            s.execute("LOCK TABLE users, orders, runway_schema_history IN EXCLUSIVE MODE");
            try (Connection probe = LAB.connect(); Statement p = probe.createStatement()) {
                probe.setAutoCommit(false);
                p.execute("SET LOCAL lock_timeout = '100ms'");
                // The side lock really blocks the weakest mode above ACCESS SHARE.
                assertThatThrownBy(() -> p.execute("LOCK TABLE orders IN ROW SHARE MODE"))
                        .isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
                probe.rollback();
            }
            long sidePid = pid(side);
            long monPid = pid(mon);
            Future<?> monitor = pool.submit(() -> {
                try (Statement m = mon.createStatement()) {
                    while (!stop.get()) {
                        try (ResultSet rs = m.executeQuery("SELECT l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                                + " WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                                + " AND c.relnamespace = 'public'::regnamespace AND l.pid NOT IN (" + sidePid + ", " + monPid + ")")) {
                            while (rs.next()) {
                                seen.add(rs.getString(1));
                            }
                        }
                        Thread.sleep(2);
                    }
                }
                return null;
            });
            Future<CheckResult> run = pool.submit(() -> Check.run(List.of(applied), List.of(applied, pending), LintConfig.defaults(),
                    new CheckOptions(true, true, LAB.lab().primary().url("postgres"), LAB.url(), null, false)));
            CheckResult r = run.get(120, TimeUnit.SECONDS);
            stop.set(true);
            monitor.get(10, TimeUnit.SECONDS);
            side.rollback();

            assertThat(r.checked()).containsExactly("20250201000000_next.sql");
            assertThat(r.findings()).extracting(Finding::rule).containsExactly("RW101", "RW112");
            assertThat(r.findings().get(0).impact()).startsWith("builds an index over orders, ").contains("~200,000 rows").contains("under SHARE");
            assertThat(r.findings().get(1).impact()).startsWith("rewrites orders, ").contains("under ACCESS EXCLUSIVE");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(seen).as("lock modes other sessions took on target tables").isSubsetOf(Set.of("AccessShareLock"));
        try (Connection c = LAB.connect()) {
            assertThat(before.differences(Catalog.read(c))).isEmpty();
            assertThat(count(c)).isEqualTo(rowsBefore);
        }
    }

    private static long pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM users) * 1000000 + (SELECT count(*) FROM orders)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
