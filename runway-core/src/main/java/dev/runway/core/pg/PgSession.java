package dev.runway.core.pg;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens connections the way Runway's own sessions need them, and small helpers around them.
 *
 * <p>Connection failures become a {@link RunwayException} ({@link ConnectionErrors}: exit 2 when only
 * configuration fixes it, 75 when retrying later may) whose message names the masked URL, never the
 * password. Stateless; thread-safe.
 */
public final class PgSession {
    /** pgjdbc's driver, for connections {@link #open} does not make itself; created on first use. */
    private static final class Driver {
        static final org.postgresql.Driver INSTANCE = new org.postgresql.Driver();
    }

    private PgSession() {
    }

    /**
     * Connects with Runway's defaults: application_name (in the start-up message), TCP keepalive, no
     * server-side prepared statements (so resetting session state never invalidates the driver's cache), a
     * connect timeout.
     *
     * @param applicationName shown in pg_stat_activity, e.g. {@code runway migrate}
     */
    public static Connection connect(DatabaseUrl url, String applicationName) {
        Properties p = url.properties();
        p.putIfAbsent("ApplicationName", applicationName);
        p.putIfAbsent("tcpKeepAlive", "true");
        p.putIfAbsent("prepareThreshold", "0");
        p.putIfAbsent("connectTimeout", "10");
        // Every server Runway supports is 9.4 or later (to_regclass): pgjdbc then sends application_name in the
        // start-up message instead of a "SET application_name" query after it, one round trip fewer per connection
        // (pgjdbc's assumeMinServerVersion; a URL that sets it keeps its own value).
        p.putIfAbsent("assumeMinServerVersion", "9.4");
        if ("verify-full".equals(p.getProperty("sslmode"))) {
            // pgjdbc also logs a failed host name check (SEVERE, to stderr); unreachable() reports it as one line
            java.util.logging.Logger.getLogger("org.postgresql.ssl").setLevel(java.util.logging.Level.OFF);
        }
        // connectTimeout bounds only the TCP connect: a server (or proxy) that accepts and then says
        // nothing would hang the start-up exchange forever. Bound it by the same timeout, then lift it.
        boolean startupTimeout = p.getProperty("socketTimeout") == null;
        if (startupTimeout) {
            p.setProperty("socketTimeout", p.getProperty("connectTimeout"));
        }
        try {
            Connection c = open(url.jdbcUrl(), p);
            if (startupTimeout) {
                c.setNetworkTimeout(Runnable::run, 0); // migrations may run for hours
            }
            return c;
        } catch (SQLException e) {
            throw unreachable(url, e);
        }
    }

    /**
     * What {@code org.postgresql.Driver.connect} does, minus what a release command does not need
     * on its critical path: {@code DriverManager} loading every driver through {@code ServiceLoader},
     * and the driver reading {@code driverconfig.properties} through a reflective
     * {@code AccessController.doPrivileged}, whose first call parses annotations and spins proxy
     * classes (together ~20 ms of a cold start, which every deploy pays). The URL is parsed by
     * pgjdbc's own {@code parseURL}; the OS user is the default user, as with the driver. A
     * {@code loginTimeout}, or a pgjdbc without these entry points, takes the driver's own path.
     */
    static Connection open(String jdbcUrl, Properties info) throws SQLException {
        if (info.getProperty("loginTimeout") == null) {
            Properties props;
            org.postgresql.util.HostSpec[] specs;
            try {
                props = org.postgresql.Driver.parseURL(jdbcUrl, info);
                specs = props == null ? null : hostSpecs(props);
            } catch (LinkageError | RuntimeException changedDriver) {
                props = null; // a pgjdbc whose internals moved: its public entry point below
                specs = null;
            }
            if (specs != null) {
                try {
                    return new org.postgresql.jdbc.PgConnection(specs, props, jdbcUrl);
                } catch (LinkageError changedDriver) {
                    // as above
                }
            }
        }
        Connection c = Driver.INSTANCE.connect(jdbcUrl, info);
        if (c == null) {
            throw new SQLException("pgjdbc does not accept the URL " + jdbcUrl.replaceAll("password=[^&]*", "password=***"), "08001");
        }
        return c;
    }

    /** The hosts of parsed driver properties, as the driver builds them; the OS user as the default user. */
    private static org.postgresql.util.HostSpec[] hostSpecs(Properties props) {
        if (props.getProperty("user") == null) {
            props.setProperty("user", System.getProperty("user.name", ""));
        }
        String[] hosts = org.postgresql.PGProperty.PG_HOST.getOrDefault(props).split(",");
        String[] ports = org.postgresql.PGProperty.PG_PORT.getOrDefault(props).split(",");
        String local = org.postgresql.PGProperty.LOCAL_SOCKET_ADDRESS.getOrDefault(props);
        org.postgresql.util.HostSpec[] specs = new org.postgresql.util.HostSpec[hosts.length];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new org.postgresql.util.HostSpec(hosts[i], Integer.parseInt(ports[i]), local);
        }
        return specs;
    }

    /**
     * Wraps a connection failure: one line, masked URL, SQLSTATE kept in the cause. TLS settings that
     * cannot work (see {@link TlsFailure}) are USAGE errors; for the rest see {@link ConnectionErrors}.
     */
    public static RunwayException unreachable(DatabaseUrl url, SQLException e) {
        String tls = TlsFailure.explain(e, url);
        if (tls != null) {
            return new RunwayException(ErrorCode.USAGE, "cannot connect to " + url + " over TLS: " + masked(url, tls)
                    + " (check sslmode/sslrootcert in DATABASE_URL or --url)", e);
        }
        return ConnectionErrors.of(url, e); // exit 2 for what only configuration fixes, else 75
    }

    /** pgjdbc does not echo passwords, but be sure: no secret ever reaches output. */
    private static String masked(DatabaseUrl url, String text) {
        return url.hasPassword() && text != null ? text.replace(url.properties().getProperty("password"), "***") : text;
    }

    /**
     * The server's major version, e.g. 15, from the {@code server_version} the server reports when the
     * session starts (no query).
     */
    public static int majorVersion(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseMajorVersion();
    }

    /**
     * Makes the server notice a dead client: server-side TCP keepalives on an idle session, and on
     * PostgreSQL 14+ {@code client_connection_check_interval}, which aborts a running query whose
     * client is gone. Without these a killed release machine leaves an orphaned backend that keeps
     * running its migration (and holding Runway's lock) for up to two hours
     * (https://www.postgresql.org/docs/current/runtime-config-connection.html).
     */
    public static void enableDeadClientDetection(Connection c, int serverMajor) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(deadClientDetectionSql(serverMajor));
        }
    }

    /**
     * The statements of {@link #enableDeadClientDetection} as SQL text, for a caller that sends them together with
     * other statements (one round trip).
     */
    public static String deadClientDetectionSql(int serverMajor) {
        String sql = "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3";
        return serverMajor >= 14 ? sql + "; SET client_connection_check_interval = '1s'" : sql;
    }

    /**
     * True when {@code relation} names an existing table, view, index or sequence: {@code to_regclass}, which
     * reads the name as SQL would (quote what needs quoting, e.g. {@code ident(schema) + "." + ident(table)};
     * unqualified names follow {@code search_path}) and returns NULL instead of failing for a missing one.
     */
    public static boolean relationExists(Connection c, String relation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Quotes an identifier for SQL text (the one quoting helper: every module uses this one). */
    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Quotes a string literal for SQL text (standard_conforming_strings on). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
