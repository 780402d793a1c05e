package dev.runway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void tlsParametersBecomeLibpqVariablesAndPathsStayReadable() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://app:pw@db.internal:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca%20x.crt"
                + "&sslcert=/c.crt&sslkey=/c.key&connectTimeout=3", "DATABASE_URL");
        assertThat(u.libpqTlsEnvironment()).containsExactly(Map.entry("PGSSLMODE", "verify-full"),
                Map.entry("PGSSLROOTCERT", "/etc/ssl/ca x.crt"), Map.entry("PGSSLCERT", "/c.crt"), Map.entry("PGSSLKEY", "/c.key"));
        assertThat(u.toString()).isEqualTo("postgres://app:***@db.internal:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca%20x.crt"
                + "&sslcert=/c.crt&sslkey=/c.key&connectTimeout=3");
        assertThat(DatabaseUrl.parse(u.toUnmaskedString(), "again")).isEqualTo(u);
        assertThat(DatabaseUrl.parse("postgres://h/db", "x").libpqTlsEnvironment()).isEmpty();
    }
}
