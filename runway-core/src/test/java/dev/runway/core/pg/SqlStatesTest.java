package dev.runway.core.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The one SQLSTATE classifier, and the two rules for a lost connection (the engine's and the router's). */
class SqlStatesTest {
    static SQLException state(String s) {
        return new SQLException("boom", s);
    }

    @Test
    void lockTimeoutIs55P03Only() {
        assertThat(SqlStates.isLockTimeout(state("55P03"))).isTrue();
        for (String other : new String[] {"40001", "40P01", "57014", "55000", "55006", "08006", "57P01"}) {
            assertThat(SqlStates.isLockTimeout(state(other))).as(other).isFalse();
        }
        assertThat(SqlStates.isLockTimeout(new SQLException("no state"))).isFalse();
    }

    @Test
    void queryCanceledAndReadOnly() {
        assertThat(SqlStates.isQueryCanceled(state("57014"))).isTrue();
        assertThat(SqlStates.isQueryCanceled(state("57P01"))).isFalse();
        assertThat(SqlStates.isReadOnly(state("25006"))).isTrue();
        assertThat(SqlStates.isReadOnly(state("25P02"))).isFalse();
    }

    @Test
    void serializationFailuresAndDeadlocksAreStatementErrors() {
        for (String s : new String[] {"40001", "40P01"}) {
            assertThat(SqlStates.isLockTimeout(state(s))).as(s).isFalse();
            assertThat(SqlStates.isSessionLost(state(s))).as(s).isFalse();
            assertThat(SqlStates.isServerUnavailable(state(s))).as(s).isFalse();
        }
    }

    @Test
    void bothRulesAgreeOnClass08AndAServerShuttingDownOrStarting() {
        for (String s : new String[] {"08000", "08001", "08003", "08004", "08006", "08P01", "57P01", "57P02", "57P03"}) {
            assertThat(SqlStates.isSessionLost(state(s))).as(s).isTrue();
            assertThat(SqlStates.isServerUnavailable(state(s))).as(s).isTrue();
        }
        for (String s : new String[] {"42P01", "23505", "55P03", "57014", "25006", "28P01", "3D000", "53300"}) {
            assertThat(SqlStates.isSessionLost(state(s))).as(s).isFalse();
            assertThat(SqlStates.isServerUnavailable(state(s))).as(s).isFalse();
        }
    }

    @Test
    void theEngineCountsEveryOperatorInterventionTheRouterOnlyTheServerGoingAway() {
        for (String s : new String[] {"57P04", "57P05"}) { // database_dropped, idle_session_timeout
            assertThat(SqlStates.isSessionLost(state(s))).as(s).isTrue();
            assertThat(SqlStates.isServerUnavailable(state(s))).as(s).isFalse();
        }
    }

    @Test
    void noSqlStateCountsForTheRouterOnlyWithAnIoCause() {
        SQLException io = new SQLException("An I/O error occurred", null, new SocketException("Connection reset"));
        assertThat(SqlStates.isServerUnavailable(io)).isTrue();
        assertThat(SqlStates.isSessionLost(io)).isFalse();
        assertThat(SqlStates.isServerUnavailable(new SQLException("no state"))).isFalse();
        assertThat(SqlStates.isServerUnavailable(new SQLException("x", null, new IllegalStateException()))).isFalse();
        assertThat(SqlStates.isServerUnavailable(new SQLException("x", null, new IOException()))).isTrue();
    }
}
