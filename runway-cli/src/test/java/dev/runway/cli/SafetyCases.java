package dev.runway.cli;

import dev.runway.cli.BadInputIT.Case;
import dev.runway.cli.BadInputIT.Env;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * BadInputIT's cases for release safety (issue #9): connection failures that only configuration fixes
 * exit 2 and those a retry may fix exit 75; rollback targets; bad usage picocli reports. Kept apart
 * from the other cases so that several branches can add theirs.
 */
final class SafetyCases {
    private SafetyCases() {
    }

    static List<Case> cases(LabExtension lab) {
        List<Case> c = new ArrayList<>();
        // --- connecting: exit 2 when only configuration fixes it (a script must not retry forever) ...
        c.add(new Case("wrong password", 2, "password authentication failed for user \"pw_app\" [28P01]; authentication failed",
                as(lab, "pw_app", CliDb.PASSWORD + "-wrong", ""), "migrate"));
        c.add(new Case("role does not exist", 2, "role \"nobody_here\" does not exist [28000]",
                as(lab, "nobody_here", CliDb.PASSWORD, ""), "migrate"));
        c.add(new Case("pg_hba.conf rejects the role", 2, "[28000]; authentication failed", as(lab, "rejected_app", CliDb.PASSWORD, ""),
                "release"));
        c.add(new Case("database does not exist", 2, "database \"no_such_db\" does not exist [3D000]", e -> {
            BadInputIT.base().accept(e);
            e.env.put("DATABASE_URL", e.url.withDatabase("no_such_db").toUnmaskedString()); }, "status"));
        c.add(new Case("sslmode=require, server without TLS", 2, "the server does not offer TLS, and sslmode=require requires it",
                as(lab, "app", CliDb.PASSWORD, "?sslmode=require"), "release"));
        c.add(new Case("unknown host", 2, "unknown host 'no-such-host.invalid'", e -> {
            BadInputIT.base().accept(e);
            e.env.put("DATABASE_URL", "postgres://app:" + CliDb.PASSWORD + "@no-such-host.invalid:5432/db"); }, "migrate"));
        // --- ... and 75 when a retry may fix it
        c.add(new Case("server accepts but never answers", 75, "SocketTimeoutException", e -> {
            BadInputIT.base().accept(e);
            e.env.put("DATABASE_URL", "postgres://app:" + CliDb.PASSWORD + "@127.0.0.1:" + Silent.port() + "/db?connectTimeout=1"); },
                "release"));
        c.add(new Case("database not accepting connections", 75, "is not currently accepting connections", e -> {
            BadInputIT.base().accept(e);
            String db = e.url.database() + "_closed";
            lab.lab().createDatabase(db);
            sql(lab, "ALTER DATABASE " + db + " ALLOW_CONNECTIONS false");
            e.env.put("DATABASE_URL", e.url.withDatabase(db).toUnmaskedString()); }, "migrate"));
        c.add(new Case("role connection limit reached", 75, "too many connections for role \"limited_app\"",
                as(lab, "limited_app", CliDb.PASSWORD, ""), "status"));
        // --- rollback never surprises
        c.add(new Case("rollback to a mistyped version", 2, "--to 2025030112000: not an applied version", e -> {
            e.file("20250301120000_a.sql", BadInputIT.OK1).file("20250302120000_b.sql",
                    "-- runway:up\nCREATE TABLE b (id int);\n-- runway:down\nDROP TABLE b;\n").hash();
            e.migrated(); }, "rollback", "--to", "2025030112000"));
        c.add(new Case("rollback more steps than applied", 2, "--step 2: only 1 migration is applied", e -> {
            BadInputIT.base().accept(e);
            e.migrated(); }, "rollback", "--step", "2"));
        c.add(new Case("rollback with nothing applied", 2, "no migration is applied", BadInputIT.base(), "rollback", "--to", "1"));
        c.add(new Case("rollback dry run to a version never applied", 2, "the nearest applied version is 1 (older)", e -> {
            BadInputIT.base().accept(e);
            e.migrated(); }, "rollback", "--to", "5", "--dry-run"));
        // --- bad usage, as picocli sees it: still one line (and one JSON document)
        c.add(new Case("flag without its value", 2, "--lock-wait", BadInputIT.base(), "migrate", "--lock-wait"));
        c.add(new Case("unexpected argument", 2, "'extra'", BadInputIT.base(), "status", "extra"));
        c.add(new Case("flag given twice", 2, "--dir", BadInputIT.base(), "migrate", "--dir", "a", "--dir", "b"));
        c.add(new Case("help for an unknown command", 2, "migrat", BadInputIT.base(), "help", "migrat"));
        // --- the gate's threshold and the stop grace: checked before anything connects
        c.add(new Case("bad --gate-small-table", 2, "--gate-small-table: 'huge' is not a size", BadInputIT.base(), "release",
                "--gate-small-table", "huge"));
        c.add(new Case("bad RUNWAY_GATE_SMALL_TABLE", 2, "RUNWAY_GATE_SMALL_TABLE: '-5MB' is not a size", e -> {
            BadInputIT.base().accept(e);
            e.env.put("RUNWAY_GATE_SMALL_TABLE", "-5MB"); }, "release"));
        c.add(new Case("runway.toml bad gate.small-table", 2, "runway.toml:2 lint.gate.small-table: '10 parsecs' is not a size", e -> {
            BadInputIT.base().accept(e);
            e.toml("[lint]\ngate.small-table = \"10 parsecs\"\n"); }, "release"));
        c.add(new Case("runway.toml unknown gate key", 2, "runway.toml:2: unknown [lint] key 'gate.small-tables'", e -> {
            BadInputIT.base().accept(e);
            e.toml("[lint]\ngate.small-tables = \"1MB\"\n"); }, "check", "--static"));
        c.add(new Case("bad --stop-grace", 2, "--stop-grace: 'soon' is not a duration", BadInputIT.base(), "migrate", "--stop-grace", "soon"));
        c.add(new Case("bad RUNWAY_STOP_GRACE", 2, "RUNWAY_STOP_GRACE: '5' is not a duration", e -> {
            BadInputIT.base().accept(e);
            e.env.put("RUNWAY_STOP_GRACE", "5"); }, "rollback", "--step", "1"));
        // --- least surprise at the edges
        c.add(new Case("empty up section", 2, "2_b.sql: the up section has no SQL statement", BadInputIT.with("2_b.sql",
                "-- runway:up\n\n-- runway:down\nDROP TABLE b;\n"), "release"));
        c.add(new Case("up section of comments only", 2, "2_b.sql: the up section has no SQL statement", BadInputIT.with("2_b.sql",
                "-- runway:up\n-- to be written\n/* later */\n"), "migrate"));
        c.add(new Case("allow-empty given twice", 2, "2_b.sql:2: allow-empty given twice", BadInputIT.with("2_b.sql",
                "-- runway:allow-empty\n-- runway:allow-empty\n-- runway:up\n"), "migrate"));
        c.add(new Case("runway.toml [lint] gate not a table", 2, "[lint] gate must be a table", e -> {
            BadInputIT.base().accept(e);
            e.toml("[lint]\ngate = 5\n"); }, "release"));
        return c;
    }

    /** DATABASE_URL for {@code user}/{@code password} on the case's database; the roles and pg_hba.conf lines exist. */
    private static Consumer<Env> as(LabExtension lab, String user, String password, String query) {
        return e -> {
            BadInputIT.base().accept(e);
            Roles.ensure(lab);
            e.env.put("DATABASE_URL", "postgres://" + user + ":" + password + "@" + e.url.host() + ":" + e.url.port() + "/"
                    + e.url.database() + query);
        };
    }

    static void sql(LabExtension lab, String sql) {
        try (Connection c = lab.lab().primary().connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Roles for the connection cases, and pg_hba.conf lines in front of the lab's trust lines (idempotent). */
    static final class Roles {
        private static boolean done;

        static synchronized void ensure(LabExtension lab) {
            if (done) {
                return;
            }
            sql(lab, "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pw_app') THEN"
                    + " CREATE ROLE pw_app LOGIN PASSWORD 'the-right-one'; CREATE ROLE rejected_app LOGIN;"
                    + " CREATE ROLE limited_app LOGIN CONNECTION LIMIT 0; END IF; END$$");
            Path hba = lab.lab().primary().dataDir().resolve("pg_hba.conf");
            try {
                String now = Files.readString(hba);
                if (!now.contains("pw_app")) {
                    Files.writeString(hba, "host all pw_app 127.0.0.1/32 scram-sha-256\nhost all rejected_app 127.0.0.1/32 reject\n" + now);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sql(lab, "SELECT pg_reload_conf()");
            done = true;
        }
    }

    /** A TCP port that accepts connections (the kernel's backlog) and never says a word. */
    static final class Silent {
        private static ServerSocket socket;

        static synchronized int port() {
            try {
                if (socket == null) {
                    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                }
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
