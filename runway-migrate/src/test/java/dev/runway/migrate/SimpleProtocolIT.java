package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.SimpleProtocol;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * {@link SimpleProtocol} sends the text as one simple-protocol message (what migrations' statements travel as since
 * issue #15) with the bundled pgjdbc, and reads back what {@link Statement#execute(String)} would: results in order,
 * errors with SQLSTATE and position, notices, the open transaction; a statement that is not pgjdbc's takes the JDBC path.
 */
class SimpleProtocolIT extends EngineTestBase {
    private static String currentQuery(Statement st, boolean simple) throws SQLException {
        String sql = "SELECT current_query(); SELECT 2";
        if (simple) {
            SimpleProtocol.execute(st, sql);
        } else {
            st.execute(sql);
        }
        try (ResultSet rs = st.getResultSet()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theTextTravelsAsOneMessageAndReadsBackAsExecuteDoes() throws Exception {
        try (Connection c = PgSession.connect(url, "runway test"); Statement st = c.createStatement()) {
            // the server saw the whole text as one query: it was not split and parsed on the client
            assertThat(currentQuery(st, true)).isEqualTo("SELECT current_query(); SELECT 2");
            assertThat(currentQuery(st, false)).as("pgjdbc's default, for contrast").isEqualTo("SELECT current_query()");

            c.setAutoCommit(false);
            boolean rows = SimpleProtocol.execute(st, "SELECT 1, 'a;b'; CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);"
                    + " DO $$ BEGIN RAISE NOTICE 'hello'; END $$");
            assertThat(rows).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("a;b");
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isZero(); // CREATE TABLE
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(2); // INSERT
            assertThat(st.getWarnings().getMessage()).contains("hello");
            c.rollback(); // the text ran in the transaction pgjdbc opened
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('t') IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("rolled back").isTrue();
            }

            assertThatThrownBy(() -> SimpleProtocol.execute(st, "SELECT 1;\nSELECT no_such_column FROM pg_class"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42703");
                        assertThat(e.getServerErrorMessage().getPosition()).isEqualTo(18); // within the whole text
                    });
            assertThatThrownBy(() -> SimpleProtocol.execute(st, "SET lock_timeout = 'x'"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
        }
    }

    @Test
    void aStatementThatIsNotPgjdbcsTakesTheJdbcPath() throws Exception {
        try (Connection c = PgSession.connect(url, "runway test"); Statement real = c.createStatement()) {
            Statement wrapped = (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                    (proxy, method, args) -> method.invoke(real, args));
            assertThat(currentQuery(wrapped, true)).isEqualTo("SELECT current_query()");
        }
    }
}
