package dev.runway.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A database address as users write it: Fly's {@code postgres://user:pass@host:port/db?sslmode=require}
 * (also {@code postgresql://}) or a pgjdbc {@code jdbc:postgresql://host:port/db?user=..} URL.
 *
 * <p>The password is kept apart from the URL text: {@link #jdbcUrl()} never contains it, it travels to
 * the driver only in {@link #properties()}, and {@link #toString()} masks it. Immutable.
 */
public final class DatabaseUrl {
    private static final int DEFAULT_PORT = 5432;
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> params;

    private DatabaseUrl(String host, int port, String database, String user, String password, Map<String, String> params) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.params = Collections.unmodifiableMap(params);
    }

    /** Builds a URL from parts; {@code password} may be null. */
    public static DatabaseUrl of(String host, int port, String database, String user, String password) {
        return new DatabaseUrl(host, port, database, user, password, new LinkedHashMap<>());
    }

    /**
     * Parses {@code text}.
     *
     * @param source what to name in the error (a flag, an environment variable, a config key)
     * @throws RunwayException (USAGE) with a one-line message that names {@code source} and never the password
     */
    public static DatabaseUrl parse(String text, String source) {
        if (text == null || text.isBlank()) {
            throw RunwayException.usage(source + ": database URL is empty");
        }
        String s = text.trim();
        String rest;
        if (s.startsWith("postgres://")) {
            rest = s.substring("postgres://".length());
        } else if (s.startsWith("postgresql://")) {
            rest = s.substring("postgresql://".length());
        } else if (s.startsWith("jdbc:postgresql://")) {
            rest = s.substring("jdbc:postgresql://".length());
        } else {
            throw RunwayException.usage(source + ": database URL must start with postgres://, postgresql:// or jdbc:postgresql:// (got '"
                    + maskedPrefix(s) + "')");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0) {
            path = rest.substring(slash + 1);
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon >= 0 ? info.substring(0, colon) : info, source, "user");
            if (colon >= 0) {
                password = decode(info.substring(colon + 1), source, "password");
            }
        }
        String host;
        int port = DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw RunwayException.usage(source + ": unterminated IPv6 address in database URL host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw RunwayException.usage(source + ": unexpected text after IPv6 host in database URL");
                }
                port = parsePort(after.substring(1), source);
            }
        } else {
            if (authority.contains(",")) {
                throw RunwayException.usage(source + ": several hosts in one database URL are not supported; give the primary");
            }
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            if (colon >= 0) {
                port = parsePort(authority.substring(colon + 1), source);
            }
        }
        if (host.isEmpty()) {
            throw RunwayException.usage(source + ": database URL has no host");
        }
        String database = decode(path, source, "database name");
        Map<String, String> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq >= 0 ? pair.substring(0, eq) : pair, source, "parameter");
                String v = eq >= 0 ? decode(pair.substring(eq + 1), source, "parameter " + k) : "";
                if (k.equals("user")) {
                    user = v;
                } else if (k.equals("password")) {
                    password = v;
                } else {
                    params.put(k, v);
                }
            }
        }
        String sslmode = params.get("sslmode");
        if (sslmode != null && !sslmode.matches("disable|allow|prefer|require|verify-ca|verify-full")) {
            throw RunwayException.usage(source + ": sslmode '" + sslmode
                    + "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
        }
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        return new DatabaseUrl(host, port, database, user, password, params);
    }

    private static int parsePort(String p, String source) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw RunwayException.usage(source + ": port '" + p + "' in database URL is not a number from 1 to 65535");
        }
    }

    private static String decode(String s, String source, String what) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RunwayException.usage(source + ": bad %-escape in the " + what + " of the database URL");
        }
    }

    private static String maskedPrefix(String s) {
        int at = s.indexOf('@');
        String shown = at >= 0 ? "***" + s.substring(at) : s;
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    /** May be null: the driver then uses its default. */
    public String user() {
        return user;
    }

    public boolean hasPassword() {
        return password != null;
    }

    /** Query parameters other than user and password, in the order given. */
    public Map<String, String> params() {
        return params;
    }

    /** The same server with another database name. */
    public DatabaseUrl withDatabase(String db) {
        return new DatabaseUrl(host, port, db, user, password, new LinkedHashMap<>(params));
    }

    /** The same URL with another host and port (e.g. a replica, a proxy). */
    public DatabaseUrl withHostPort(String newHost, int newPort) {
        return new DatabaseUrl(newHost, newPort, database, user, password, new LinkedHashMap<>(params));
    }

    /** The same URL with one query parameter set. */
    public DatabaseUrl withParam(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return new DatabaseUrl(host, port, database, user, password, p);
    }

    /** pgjdbc URL without user or password; pass {@link #properties()} alongside. */
    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + encodePath(database);
    }

    /** Driver properties: user, password and the query parameters. */
    public Properties properties() {
        Properties p = new Properties();
        params.forEach(p::setProperty);
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /**
     * The TLS parameters of this URL as libpq environment variables ({@code PGSSLMODE},
     * {@code PGSSLROOTCERT}, {@code PGSSLCERT}, {@code PGSSLKEY}), for child processes such as pg_dump
     * that must connect the way pgjdbc does.
     */
    public Map<String, String> libpqTlsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        String[][] names = {{"sslmode", "PGSSLMODE"}, {"sslrootcert", "PGSSLROOTCERT"}, {"sslcert", "PGSSLCERT"}, {"sslkey", "PGSSLKEY"}};
        for (String[] n : names) {
            String v = params.get(n[0]);
            if (v != null) {
                env.put(n[1], v);
            }
        }
        return env;
    }

    /** {@code postgres://user:***@host:port/db?...}: safe to print. */
    @Override
    public String toString() {
        return render(true);
    }

    /** The full URL, password included, for handing to a child process's environment only. */
    public String toUnmaskedString() {
        return render(false);
    }

    private String render(boolean masked) {
        StringBuilder b = new StringBuilder("postgres://");
        if (user != null) {
            b.append(encode(user));
            if (password != null) {
                b.append(':').append(masked ? "***" : encode(password));
            }
            b.append('@');
        }
        b.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(encodePath(database));
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            // '/' needs no escape in a query (RFC 3986 3.4): file paths such as sslrootcert stay readable
            b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()).replace("%2F", "/"));
            sep = "&";
        }
        return b.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String s) {
        return encode(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatabaseUrl && ((DatabaseUrl) o).render(false).equals(render(false));
    }

    @Override
    public int hashCode() {
        return render(false).hashCode();
    }
}
