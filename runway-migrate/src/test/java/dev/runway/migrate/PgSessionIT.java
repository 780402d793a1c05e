package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Runway's own connections, through its short path and through pgjdbc's driver (loginTimeout), behave alike. */
class PgSessionIT extends EngineTestBase {
    private static String[] session(DatabaseUrl u) throws Exception {
        try (Connection c = PgSession.connect(u, "runway test"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, current_database(), current_setting('application_name')")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
        }
    }

    @Test
    void bothPathsConnectAsTheUrlSays() throws Exception {
        assertThat(session(url)).containsExactly(url.user(), url.database(), "runway test");
        assertThat(session(url.withParam("loginTimeout", "5"))).containsExactly(url.user(), url.database(), "runway test");
        assertThat(session(url.withParam("ApplicationName", "mine"))).containsExactly(url.user(), url.database(), "mine");
    }

    /**
     * application_name travels in the start-up message: the session has run no statement when connect returns
     * (pg_stat_activity's query column is still empty), one round trip fewer than pgjdbc's "SET application_name".
     */
    @Test
    void connectingRunsNoStatement() throws Exception {
        for (DatabaseUrl u : new DatabaseUrl[] {url, url.withParam("loginTimeout", "5")}) {
            try (Connection c = PgSession.connect(u, "runway test"); Connection other = PgSession.connect(url, "observer");
                    Statement st = other.createStatement();
                    ResultSet rs = st.executeQuery("SELECT application_name, query FROM pg_stat_activity WHERE pid = "
                            + c.unwrap(org.postgresql.PGConnection.class).getBackendPID())) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("runway test");
                assertThat(rs.getString(2)).as("the last statement of the new session").isEmpty();
            }
        }
    }

    /** The migrating session notices a dead client (set with the first statement Runway sends, in the same round trip). */
    @Test
    void theMigratingSessionHasDeadClientDetection() throws Exception {
        files.add("1", "checks", "DO $$ BEGIN IF current_setting('tcp_keepalives_idle') <> '5'"
                + " OR current_setting('tcp_keepalives_interval') <> '2' OR current_setting('tcp_keepalives_count') <> '3'"
                + " OR current_setting('client_connection_check_interval') <> '1s'"
                + " THEN RAISE EXCEPTION 'no dead client detection'; END IF; END $$;", null);
        Runway.create(RunwayConfig.builder().url(url).dir(files.dir).build()).migrate();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT status FROM runway_schema_history")).containsExactly("applied");
        }
    }

    @Test
    void bothPathsReportAnUnreachableServerAsTemporary() {
        DatabaseUrl closed = url.withHostPort("127.0.0.1", 1);
        for (DatabaseUrl u : new DatabaseUrl[] {closed, closed.withParam("loginTimeout", "5")}) {
            assertThatThrownBy(() -> PgSession.connect(u, "runway test")).isInstanceOf(RunwayException.class)
                    .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY))
                    .hasMessageContaining("cannot connect to postgres://");
        }
    }

    @Test
    void anUnknownDatabaseIsAnErrorNotAFallback() {
        assertThatThrownBy(() -> PgSession.connect(url.withDatabase("no_such_db"), "runway test"))
                .isInstanceOf(RunwayException.class).hasMessageContaining("no_such_db");
    }
}
