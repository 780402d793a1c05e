package dev.runway.core.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What only configuration fixes exits 2; what a retry may fix exits 75. The real servers' errors are in the CLI's BadInputIT. */
class ConnectionErrorsTest {
    static final DatabaseUrl URL = DatabaseUrl.parse("postgres://app:hunter2@db.internal:5432/app", "test");

    static ErrorCode code(DatabaseUrl url, SQLException e) {
        RunwayException r = ConnectionErrors.of(url, e);
        assertThat(r.getMessage()).doesNotContain("hunter2").startsWith("cannot connect to postgres://app:***@db.internal:5432/app");
        assertThat(r.getCause()).isSameAs(e);
        return r.code();
    }

    @Test
    void configurationProblemsAreUsageErrors() {
        assertThat(code(URL, new SQLException("FATAL: password authentication failed for user \"app\"", "28P01"))).isEqualTo(ErrorCode.USAGE);
        assertThat(code(URL, new SQLException("FATAL: role \"app\" does not exist", "28000"))).isEqualTo(ErrorCode.USAGE);
        assertThat(code(URL, new SQLException("FATAL: database \"app\" does not exist", "3D000"))).isEqualTo(ErrorCode.USAGE);
        DatabaseUrl tls = URL.withParam("sslmode", "require");
        assertThat(code(tls, new SQLException("The server does not support SSL.", "08004"))).isEqualTo(ErrorCode.USAGE);
        assertThat(ConnectionErrors.of(tls, new SQLException("The server does not support SSL.", "08004")).getMessage())
                .contains("sslmode=require requires TLS");
        SQLException dns = new SQLException("The connection attempt failed.", "08001", new UnknownHostException("db.internal"));
        assertThat(code(URL, dns)).isEqualTo(ErrorCode.USAGE);
        assertThat(ConnectionErrors.of(URL, dns).getMessage()).contains("unknown host 'db.internal'");
    }

    @Test
    void whatARetryMayFixStaysTemporary() {
        assertThat(code(URL, new SQLException("Connection refused", "08001", new ConnectException("refused")))).isEqualTo(ErrorCode.TEMPORARY);
        assertThat(code(URL, new SQLException("The connection attempt failed.", "08001", new SocketTimeoutException("connect timed out"))))
                .isEqualTo(ErrorCode.TEMPORARY);
        assertThat(code(URL, new SQLException("FATAL: the database system is shutting down", "57P03"))).isEqualTo(ErrorCode.TEMPORARY);
        assertThat(code(URL, new SQLException("FATAL: sorry, too many clients already", "53300"))).isEqualTo(ErrorCode.TEMPORARY);
        // sslmode=prefer falls back by itself: 08004 without a TLS requirement is not a configuration verdict
        assertThat(code(URL, new SQLException("rejected", "08004"))).isEqualTo(ErrorCode.TEMPORARY);
    }
}
