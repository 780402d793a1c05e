package dev.runway.lint.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The helpers install as far as the role allows, and record what DDL touches only while the round trip's switch is on. */
class TouchedIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    private static Connection connect(String db, String user) throws Exception {
        return DriverManager.getConnection(LAB.lab().primary().url(db).jdbcUrl(), user, null);
    }

    @Test
    void aSuperuserGetsTheTriggersAPlainOwnerTheFunctions() throws Exception {
        try (Connection c = connect("postgres", "postgres"); Statement st = c.createStatement()) {
            st.execute("DO $r$ BEGIN CREATE ROLE rt_owner LOGIN CREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END $r$");
            st.execute("CREATE DATABASE touched_su");
            st.execute("CREATE DATABASE touched_plain OWNER rt_owner");
        }
        try (Connection c = connect("touched_su", "postgres")) {
            assertThat(Touched.install(c, true)).isEqualTo(Touched.Level.TRIGGERS);
            assertThat(Touched.install(c, true)).as("again, on a database that has them").isEqualTo(Touched.Level.TRIGGERS);
            assertThat(Touched.install(c, false)).as("no round trip, no triggers needed").isEqualTo(Touched.Level.FUNCTIONS);
        }
        try (Connection c = connect("touched_plain", "rt_owner")) {
            assertThat(Touched.install(c, true)).isEqualTo(Touched.Level.FUNCTIONS);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_event_trigger")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void recordsOnlyInsideTheSwitchedOnSavepointAndForgetsOnRollback() throws Exception {
        try (Connection c = connect("postgres", "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE touched_rec");
        }
        try (Connection c = connect("touched_rec", "postgres"); Statement st = c.createStatement()) {
            assertThat(Touched.install(c, true)).isEqualTo(Touched.Level.TRIGGERS);
            st.execute("CREATE TABLE before_rt (id int)");
            c.setAutoCommit(false);
            st.execute("CREATE INDEX before_rt_idx ON before_rt (id)");
            st.execute("SAVEPOINT runway_round_trip;\n" + Touched.START);
            st.execute("DROP INDEX before_rt_idx");
            st.execute("CREATE TABLE during_rt (id int)");
            Touched.Scope s;
            try (ResultSet rs = st.executeQuery(Touched.SNAPSHOT_NOW)) {
                s = Touched.scope(rs);
            }
            long tbl = tableOid(st, "during_rt");
            st.execute("ROLLBACK TO SAVEPOINT runway_round_trip");
            try (ResultSet rs = st.executeQuery("SELECT 'before_rt_idx'::regclass::oid, (SELECT count(*) FROM runway_trace.touched)")) {
                rs.next();
                long idx = rs.getLong(1);
                assertThat(s).isNotNull();
                assertThat(s.rels()).contains(String.valueOf(idx)).contains(String.valueOf(tbl));
                assertThat(rs.getLong(2)).as("rows vanish with the rollback").isZero();
            }
            assertThat(s.rels()).doesNotContain(String.valueOf(tableOid(st, "before_rt")));
            c.rollback();
        }
    }

    private static long tableOid(Statement st, String name) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT '" + name + "'::regclass::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
