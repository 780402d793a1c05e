package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.backup.S3ProxyServer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets one clear line on stderr naming the file:line, flag, key or variable, the
 * documented exit code, and leaves the database exactly as it was. Runs the real command.
 */
class BadInputIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    static Path tmp;

    /** One bad-input scenario. */
    record Case(String name, int exit, String expected, Consumer<Env> setup, String... args) {
    }

    /** What a case can prepare: files, extra env, an already-migrated state. */
    static final class Env {
        final Path cwd;
        final Path dir;
        final DatabaseUrl url;
        final Map<String, String> env = new HashMap<>();

        Env(Path cwd, DatabaseUrl url) {
            this.cwd = cwd;
            this.dir = cwd.resolve("migrations");
            this.url = url;
            env.put("DATABASE_URL", url.toUnmaskedString());
        }

        Env file(String name, String content) {
            try {
                Files.createDirectories(dir.resolve(name).getParent());
                Files.writeString(dir.resolve(name), content);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Env bytes(String name, byte[] content) {
            try {
                Files.write(dir.resolve(name), content);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** Rewrites runway.sum; for a directory Runway itself refuses to hash, hashes the .sql files by name. */
        Env hash() {
            try {
                SumFile.write(dir);
            } catch (RuntimeException invalid) {
                try (Stream<Path> files = Files.walk(dir)) {
                    List<Path> sql = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
                    Files.writeString(dir.resolve(SumFile.NAME), SumFile.render(dir, sql));
                } catch (IOException | RuntimeException e) {
                    // leave it: the case is about the file, whichever check reports it first
                }
            }
            return this;
        }

        Env hashData() {
            SumFile.write(dir.resolve("data"));
            return this;
        }

        Env migrated() {
            Cli.Result r = Cli.run(cwd, env, "migrate");
            assertThat(r.exit()).as(r.all()).isZero();
            return this;
        }

        Env toml(String content) {
            try {
                Files.writeString(cwd.resolve("runway.toml"), content);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }
    }

    static final String OK1 = "-- runway:up\nCREATE TABLE a (id int);\n-- runway:down\nDROP TABLE a;\n";

    /** Table a with a primary key: a backfill's key needs an index. */
    static final String OK_PK = "-- runway:up\nCREATE TABLE a (id int PRIMARY KEY);\n-- runway:down\nDROP TABLE a;\n";

    static Consumer<Env> base() {
        return e -> e.file("1_a.sql", OK1).hash();
    }

    /** A migrated schema (table a) and data migration 2_b.sql with {@code -- runway:backfill <directive>}. */
    static Consumer<Env> backfill(String directive) {
        return e -> { e.file("1_a.sql", OK_PK).hash(); e.migrated(); e.file("data/2_b.sql", "-- runway:backfill " + directive
                + "\n-- runway:up\nUPDATE a SET id = id WHERE id >= :lo AND id < :hi;\n").hashData(); };
    }

    static Consumer<Env> with(String name, String content) {
        return e -> e.file("1_a.sql", OK1).file(name, content).hash();
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // --- database URL and connection
        c.add(new Case("malformed URL scheme", 2, "must start with postgres://", base(), "migrate", "--url", "mysql://u:" + CliDb.PASSWORD + "@h/db"));
        c.add(new Case("URL port out of range", 2, "port '99999'", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:99999/db"));
        c.add(new Case("URL port not a number", 2, "port 'abc'", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:abc/db"));
        c.add(new Case("URL bad sslmode", 2, "sslmode 'sometimes'", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1/db?sslmode=sometimes"));
        c.add(new Case("URL unterminated IPv6", 2, "IPv6", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@[::1/db"));
        c.add(new Case("URL without host", 2, "no host", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@/db"));
        c.add(new Case("bad RUNWAY_MIGRATE_URL", 2, "RUNWAY_MIGRATE_URL: database URL must start with postgres://",
                e -> { base().accept(e); e.env.put("RUNWAY_MIGRATE_URL", "mysql://u:" + CliDb.PASSWORD + "@h/db"); }, "migrate"));
        c.add(new Case("sslmode=verify-full against a server without TLS", 2, "over TLS: the server does not offer TLS, and"
                + " sslmode=verify-full requires it", base(), "migrate", "--url",
                "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:" + LAB.lab().primary().port() + "/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"));
        c.add(new Case("database unreachable", 75, "cannot connect", base(), "migrate", "--url", "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:1/db"));
        c.add(new Case("no database configured", 2, "DATABASE_URL", e -> { base().accept(e); e.env.remove("DATABASE_URL"); }, "migrate"));
        // --- flags
        c.add(new Case("unknown flag", 2, "--frobnicate", base(), "migrate", "--frobnicate"));
        c.add(new Case("unknown command", 2, "migrat", base(), "migrat"));
        c.add(new Case("bad --lock-wait", 2, "--lock-wait", base(), "migrate", "--lock-wait", "soon"));
        c.add(new Case("bad --lock-timeout", 2, "--lock-timeout", base(), "migrate", "--lock-timeout", "-1s"));
        c.add(new Case("bad env RUNWAY_LOCK_TIMEOUT", 2, "RUNWAY_LOCK_TIMEOUT", e -> { base().accept(e); e.env.put("RUNWAY_LOCK_TIMEOUT", "3 seconds"); }, "migrate"));
        c.add(new Case("--retries 0", 2, "retries", base(), "migrate", "--retries", "0"));
        c.add(new Case("--retries not a number", 2, "--retries", base(), "migrate", "--retries", "many"));
        c.add(new Case("--format xml", 2, "--format", base(), "status", "--format", "xml"));
        c.add(new Case("--to and --step", 2, "--to and --step", base(), "migrate", "--to", "1", "--step", "1"));
        c.add(new Case("--to not a version", 2, "--to", base(), "migrate", "--to", "latest"));
        c.add(new Case("--to unknown version", 2, "--to 999", base(), "migrate", "--to", "999"));
        c.add(new Case("rollback without target", 2, "--to VERSION", base(), "rollback"));
        c.add(new Case("data without subcommand", 2, "subcommand", base(), "data"));
        c.add(new Case("--config missing", 2, "--config", base(), "migrate", "--config", "nope.toml"));
        c.add(new Case("new with bad name", 2, "NAME", base(), "new", "add/orders"));
        // --- runway.toml
        c.add(new Case("runway.toml syntax", 2, "runway.toml:2", e -> { base().accept(e); e.toml("dir = \"migrations\"\nlock_wait = = 3\n"); }, "migrate"));
        c.add(new Case("runway.toml unknown key", 2, "runway.toml:1: unknown key 'lock_wiat'", e -> { base().accept(e); e.toml("lock_wiat = \"3s\"\n"); }, "migrate"));
        c.add(new Case("runway.toml bad value", 2, "runway.toml:1 lock_timeout", e -> { base().accept(e); e.toml("lock_timeout = \"fast\"\n"); }, "migrate"));
        // --- directory and files
        c.add(new Case("missing directory", 2, "not found", e -> { }, "migrate"));
        c.add(new Case("unknown directive", 2, "2_b.sql:1", with("2_b.sql", "-- runway:transactional off\n-- runway:up\nSELECT 1;\n"), "migrate"));
        // --- backfills: every directive key checked, and the table/key it names, before anything changes
        c.add(new Case("backfill in a schema migration", 2, "2_b.sql:1: a backfill is a data migration",
                with("2_b.sql", "-- runway:backfill table=a key=id batch=10\n-- runway:up\nUPDATE a SET id = id WHERE id >= :lo AND id < :hi;\n"),
                "migrate"));
        c.add(new Case("backfill unknown key", 2, "2_b.sql:1: unknown backfill key 'bacth'", backfill("table=a key=id bacth=10"), "data", "migrate"));
        c.add(new Case("backfill batch not a number", 2, "2_b.sql:1: backfill batch='ten'", backfill("table=a key=id batch=ten"), "data", "migrate"));
        c.add(new Case("backfill bad duration", 2, "2_b.sql:1: backfill pause: 'soon' is not a duration", backfill("table=a key=id pause=soon"),
                "data", "migrate"));
        c.add(new Case("backfill bad max-lag", 2, "2_b.sql:1: backfill max-lag: '2' is not a duration", backfill("table=a key=id max-lag=2"),
                "data", "migrate"));
        c.add(new Case("backfill without table=", 2, "2_b.sql:1: backfill needs table=", backfill("key=id batch=10"), "data", "migrate"));
        c.add(new Case("backfill key column missing", 2, "2_b.sql:1: backfill key 'nope' is not a column of a", backfill("table=a key=nope"),
                "data", "migrate"));
        c.add(new Case("backfill table missing", 2, "2_b.sql:1: backfill table 'nope' does not exist", backfill("table=nope key=id"),
                "data", "migrate"));
        c.add(new Case("backfill statement without :hi", 2, "2_b.sql:3: a backfill statement must bound the key from both sides", e -> {
            e.file("1_a.sql", OK_PK).hash(); e.migrated(); e.file("data/2_b.sql", "-- runway:backfill table=a key=id\n-- runway:up\nUPDATE a SET id = id WHERE id >= :lo;\n").hashData(); },
                "data", "migrate"));
        c.add(new Case("directive after up marker", 2, "2_b.sql:3", with("2_b.sql", "-- runway:up\nSELECT 1;\n-- runway:lock-timeout 3s\n"), "migrate"));
        c.add(new Case("bad lock-timeout directive", 2, "2_b.sql:1", with("2_b.sql", "-- runway:lock-timeout forever\n-- runway:up\nSELECT 1;\n"), "migrate"));
        c.add(new Case("bad retries directive", 2, "2_b.sql:1", with("2_b.sql", "-- runway:retries lots\n-- runway:up\nSELECT 1;\n"), "migrate"));
        c.add(new Case("nolint without reason", 2, "2_b.sql:1", with("2_b.sql", "-- runway:nolint RW101\n-- runway:up\nSELECT 1;\n"), "migrate"));
        c.add(new Case("inline nolint without reason", 2, "2_b.sql:3", with("2_b.sql", "-- runway:up\nSELECT 1;\n-- runway:nolint RW101\nSELECT 2;\n"), "migrate"));
        c.add(new Case("inline nolint twice for a statement", 2, "2_b.sql:3", with("2_b.sql",
                "-- runway:up\n-- runway:nolint RW122 a\n-- runway:nolint RW122 b\nSELECT 1;\n"), "migrate"));
        c.add(new Case("inline nolint before no statement", 2, "2_b.sql:3", with("2_b.sql",
                "-- runway:up\nSELECT 1;\n-- runway:nolint RW101 nothing follows\n-- runway:down\nSELECT 2;\n"), "migrate"));
        c.add(new Case("inline nolint of an unknown rule", 2, "2_b.sql:3", with("2_b.sql",
                "-- runway:up\nCREATE TABLE b (id int);\n-- runway:nolint RW999 no such rule\nCREATE TABLE c (id int);\n"), "release"));
        c.add(new Case("no up marker", 2, "2_b.sql", with("2_b.sql", "CREATE TABLE b (id int);\n"), "migrate"));
        c.add(new Case("duplicate version", 2, "1_dup.sql", with("1_dup.sql", "-- runway:up\nSELECT 1;\n"), "migrate"));
        c.add(new Case("unterminated dollar quote", 2, "2_b.sql:2", with("2_b.sql", "-- runway:up\nDO $x$ BEGIN PERFORM 1; END\n"), "migrate"));
        c.add(new Case("unterminated block comment", 2, "2_b.sql:3", with("2_b.sql", "-- runway:up\nSELECT 1;\n/* never closed\n"), "migrate"));
        c.add(new Case("unterminated string", 2, "2_b.sql:2", with("2_b.sql", "-- runway:up\nINSERT INTO a VALUES ('oops);\n"), "migrate"));
        c.add(new Case("mixed CONCURRENTLY and DDL", 2, "2_b.sql:3", with("2_b.sql",
                "-- runway:up\nALTER TABLE a ADD COLUMN x int;\nCREATE INDEX CONCURRENTLY a_x ON a (x);\n"), "migrate"));
        c.add(new Case("unrecognised file name", 2, "add_b.sql", with("add_b.sql", "-- runway:up\nSELECT 1;\n"), "migrate"));
        c.add(new Case("down file without up", 2, "2_b.down.sql", with("2_b.down.sql", "DROP TABLE b;\n"), "migrate"));
        c.add(new Case("non-UTF-8 file", 2, "2_b.sql", e -> { e.file("1_a.sql", OK1).bytes("2_b.sql",
                new byte[] {'-', '-', ' ', 'r', 'u', 'n', 'w', 'a', 'y', ':', 'u', 'p', '\n', 'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xC3, (byte) 0x28, '\'', ';', '\n'}).hash(); }, "migrate"));
        // --- integrity
        c.add(new Case("runway.sum missing", 4, "runway.sum", e -> e.file("1_a.sql", OK1), "migrate"));
        c.add(new Case("runway.sum mismatch", 4, "1_a.sql", e -> { base().accept(e); e.file("1_a.sql", OK1.replace("id int", "id bigint")); }, "migrate"));
        c.add(new Case("file added without hash", 4, "2_b.sql", e -> { base().accept(e); e.file("2_b.sql", "-- runway:up\nSELECT 1;\n"); }, "migrate"));
        c.add(new Case("edited applied file", 4, "changed after it was applied", e -> { base().accept(e); e.migrated();
            e.file("1_a.sql", OK1.replace("id int", "id bigint")).hash(); }, "migrate"));
        c.add(new Case("out of order", 4, "--allow-out-of-order", e -> { e.file("1_a.sql", OK1).file("3_c.sql", "-- runway:up\nCREATE TABLE c (id int);\n").hash();
            e.migrated(); e.file("2_b.sql", "-- runway:up\nCREATE TABLE b (id int);\n").hash(); }, "migrate"));
        c.add(new Case("failed row blocks", 4, "runway repair", e -> { e.file("1_a.sql", OK1).file("2_b.sql",
                "-- runway:transaction none\n-- runway:up\nCREATE TABLE b (id int);\nSELECT 1/0;\n").hash();
            assertThat(Cli.run(e.cwd, e.env, "migrate").exit()).isEqualTo(1); }, "migrate"));
        c.add(new Case("baseline on a migrated database", 4, "already has rows", e -> { base().accept(e); e.migrated(); }, "baseline", "--version", "5"));
        c.add(new Case("rollback without down section", 2, "no down section", e -> { e.file("1_a.sql", "-- runway:up\nCREATE TABLE a (id int);\n").hash();
            e.migrated(); }, "rollback", "--step", "1"));
        // --- lab
        c.add(new Case("lab down with nothing up", 2, "no lab in", base(), "lab", "down", "--dir", "nolab"));
        c.add(new Case("lab status with nothing up", 2, "no lab in", base(), "lab", "status", "--dir", "nolab"));
        c.add(new Case("lab delay for unknown node", 2, "nosuch", base(), "lab", "up", "--dir", "badlab", "--delay", "nosuch=40"));
        c.add(new Case("lab delay not a number", 2, "--delay", base(), "lab", "up", "--dir", "badlab", "--delay", "replica1=far"));
        c.add(new Case("lab unknown version", 2, "99", base(), "lab", "up", "--dir", "badlab", "--pg", "99"));
        c.add(new Case("lab unknown pool mode", 2, "--pgbouncer: 'statement' is not a PgBouncer pool mode", base(), "lab", "up", "--dir",
                "badlab", "--pgbouncer", "statement"));
        c.addAll(SafetyCases.cases(LAB));
        c.addAll(historyCases());
        return c;
    }

    /** Other runners' files and histories (issue 10): transaction control, layouts, placeholders, baseline sources. */
    static List<Case> historyCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("BEGIN never committed", 2, "2_b.sql:2: BEGIN is never committed",
                with("2_b.sql", "-- runway:up\nBEGIN;\nCREATE TABLE b (id int);\n"), "migrate"));
        c.add(new Case("COMMIT with nothing open", 2, "2_b.up.sql:4: COMMIT with no transaction open",
                with("2_b.up.sql", "BEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\nCOMMIT;\n"), "release"));
        c.add(new Case("undefined placeholder", 2, "V2__b.sql:2: placeholder ${owner} has no value",
                with("V2__b.sql", "CREATE TABLE b (id int);\nALTER TABLE b OWNER TO ${owner};\n"), "migrate"));
        c.add(new Case("Liquibase changeset without an id", 2, "changes.sql:3: a changeset needs an author and an id",
                with("changes.sql", "--liquibase formatted sql\n\n--changeset alice\nCREATE TABLE b (id int);\n"), "migrate"));
        c.add(new Case("two layouts mixed", 2, "3_c.sql: a dbmate migration in a directory of goose migrations (2_b.sql)",
                e -> e.file("1_a.sql", OK1).file("2_b.sql", "-- +goose Up\nCREATE TABLE b (id int);\n")
                        .file("3_c.sql", "-- migrate:up\nCREATE TABLE c (id int);\n").hash(), "migrate"));
        c.add(new Case("unknown baseline source", 2, "--from: 'alembic' is not a runner Runway reads the history of", base(),
                "baseline", "--from", "alembic"));
        c.add(new Case("dirty golang-migrate state", 4, "schema_migrations: golang-migrate left version 1 dirty", e -> {
            base().accept(e);
            try (var conn = LAB.lab().primary().connect(e.url.database()); var st = conn.createStatement()) {
                st.execute("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);"
                        + " INSERT INTO schema_migrations VALUES (1, true)");
            } catch (java.sql.SQLException x) {
                throw new IllegalStateException(x);
            }
        }, "baseline", "--from", "golang-migrate"));
        return c;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Each case runs twice on the same set-up (which it must leave unchanged): as given, then with
     * RUNWAY_FORMAT=json, where stdout must be exactly one JSON document saying the same (cases that
     * pass --format themselves run once).
     */
    @TestFactory
    Stream<DynamicTest> eachBadInputGetsOneLineAnExitCodeAndChangesNothing() {
        return run(cases());
    }

    // ---- feature flags (runway flags): each case starts from a database with the flag new_ui

    static Consumer<Env> withFlag() {
        return e -> {
            Cli.Result r = Cli.run(e.cwd, e.env, "flags", "set", "new_ui", "on", "--percent", "25", "--create");
            assertThat(r.exit()).as(r.all()).isZero();
        };
    }

    static List<Case> flagCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("flags: unknown flag on set", 2, "flag 'new_iu' does not exist in public.runway_flags (known: new_ui); add --create",
                withFlag(), "flags", "set", "new_iu", "off"));
        c.add(new Case("flags: unknown flag on rm", 2, "flag 'old_ui' does not exist", withFlag(), "flags", "rm", "old_ui"));
        c.add(new Case("flags: unknown flag, no table yet", 2, "(known: none)", e -> { }, "flags", "set", "new_ui", "on"));
        c.add(new Case("flags: percent over 100", 2, "--percent: 150 is outside 0-100", withFlag(), "flags", "set", "new_ui", "--percent", "150"));
        c.add(new Case("flags: percent below 0", 2, "--percent: -5 is outside 0-100", withFlag(), "flags", "set", "new_ui", "--percent=-5"));
        c.add(new Case("flags: percent not a number", 2, "--percent: 'ten' is not a whole number", withFlag(), "flags", "set", "new_ui",
                "--percent", "ten"));
        c.add(new Case("flags: percent with decimals", 2, "--percent: '12.5'", withFlag(), "flags", "set", "new_ui", "--percent", "12.5"));
        c.add(new Case("flags: empty region in list", 2, "--regions: '' in 'ams,,fra' is not a region code", withFlag(), "flags", "set",
                "new_ui", "--regions", "ams,,fra"));
        c.add(new Case("flags: upper-case region", 2, "--regions: 'AMS'", withFlag(), "flags", "set", "new_ui", "--regions", "AMS"));
        c.add(new Case("flags: regions separated by semicolons", 2, "--regions: 'ams;fra'", withFlag(), "flags", "set", "new_ui",
                "--regions", "ams;fra"));
        c.add(new Case("flags: region twice", 2, "'ams' is listed twice", withFlag(), "flags", "set", "new_ui", "--regions", "ams,ams"));
        c.add(new Case("flags: bad state", 2, "'maybe' is not a flag state", withFlag(), "flags", "set", "new_ui", "maybe"));
        c.add(new Case("flags: bad name", 2, "flag name 'New_UI' must be lower-case", withFlag(), "flags", "set", "New_UI", "on", "--create"));
        c.add(new Case("flags: name too long", 2, "at most 63 characters", withFlag(), "flags", "rm", "n" + "x".repeat(63)));
        c.add(new Case("flags: nothing to change", 2, "nothing to change", withFlag(), "flags", "set", "new_ui"));
        c.add(new Case("flags: bad table name", 2, "--flags-table: flags table 'Flags'", withFlag(), "flags", "list", "--flags-table", "Flags"));
        c.add(new Case("flags: bad RUNWAY_FLAGS_TABLE", 2, "RUNWAY_FLAGS_TABLE: flags table 'my-flags'", e -> {
            withFlag().accept(e); e.env.put("RUNWAY_FLAGS_TABLE", "my-flags"); }, "flags", "list"));
        c.add(new Case("flags: no subcommand", 2, "give a subcommand", withFlag(), "flags"));
        c.add(new Case("flags: unknown subcommand", 2, "delete", withFlag(), "flags", "delete", "new_ui"));
        c.add(new Case("flags: json, unknown flag", 2, "flag 'nope' does not exist", withFlag(), "flags", "rm", "nope", "--format", "json"));
        c.add(new Case("flags: json, bad percent", 2, "--percent: 101", withFlag(), "flags", "set", "new_ui", "--percent", "101",
                "--format", "json"));
        c.add(new Case("flags: database unreachable", 75, "cannot connect", withFlag(), "flags", "list", "--url",
                "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:1/db"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> flagsBadInputGetsOneLineAnExitCodeAndChangesNothing() {
        return run(flagCases());
    }

    private static Stream<DynamicTest> run(List<Case> cases) {
        return Ahead.tests(cases, Case::name, k -> {
            Path cwd = Files.createDirectories(tmp.resolve(k.name().replaceAll("[^A-Za-z0-9]+", "_")));
            Env e = new Env(cwd, CliDb.create(LAB.lab(), "bad"));
            k.setup().accept(e);
            List<String> before = CliDb.snapshot(LAB.lab(), e.url);
            Cli.Result r = Cli.run(cwd, e.env, k.args());
            assertOneLine(k, r);
            assertThat(CliDb.snapshot(LAB.lab(), e.url)).as("database unchanged").isEqualTo(before);
            if (List.of(k.args()).stream().noneMatch(a -> a.startsWith("--format"))) {
                Map<String, String> json = new HashMap<>(e.env);
                json.put("RUNWAY_FORMAT", "json");
                Cli.Result j = Cli.run(cwd, json, k.args());
                assertOneLine(k, j);
                JsonNode doc = JSON.readTree(j.out());
                assertThat(doc.get("ok").asBoolean()).as("ok in %s", j.out()).isFalse();
                assertThat(doc.get("exitCode").asInt()).as("exitCode in %s", j.out()).isEqualTo(k.exit());
                assertThat(doc.get("error").get("message").asText()).contains(k.expected());
                assertThat(doc.get("error").get("exit_code").asInt()).isEqualTo(k.exit());
                assertThat(CliDb.snapshot(LAB.lab(), e.url)).as("database unchanged (json)").isEqualTo(before);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Backups (issue #13): release --backup and backup list/restore. Every case has a pending migration
    // (base()), so a wrong answer would migrate it; the S3 secret, like the database password, must
    // never appear. S3Proxy (runway-backup's S3ProxyServer) is the S3 API.

    /** A release environment with the S3 variables of {@code fly storage create} for S3Proxy's bucket "bad-input". */
    static Consumer<Env> s3(Consumer<Env> more) {
        return e -> {
            base().accept(e);
            S3ProxyServer s3 = S3ProxyServer.shared();
            s3.createBucket("bad-input");
            e.env.putAll(s3.env("bad-input"));
            more.accept(e);
        };
    }

    /** An executable script in the case's directory (a fake pg_dump). */
    static Consumer<Env> script(String name, String body, String var) {
        return e -> {
            try {
                Path f = e.cwd.resolve(name);
                Files.writeString(f, "#!/bin/sh\n" + body + "\n");
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                e.env.put(var, f.toString());
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        };
    }

    static List<Case> backupCases() {
        List<Case> c = new ArrayList<>();
        String secret = S3ProxyServer.SECRET;
        c.add(new Case("backup wrong secret", 2, "refused the credentials", s3(e -> e.env.put("AWS_SECRET_ACCESS_KEY", "x" + secret)),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup missing bucket", 2, "bucket 'no-such-bucket' does not exist", s3(e -> { }),
                "release", "--backup", "s3://no-such-bucket/prod/"));
        c.add(new Case("backup unreachable endpoint", 75, "cannot reach http://127.0.0.1:1", s3(e -> e.env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1")),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup s3 URL without bucket", 2, "names no bucket", s3(e -> { }), "release", "--backup", "s3:///prod/"));
        c.add(new Case("backup missing AWS variables", 2, "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION are not set", base(),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup missing secret only", 2, "AWS_SECRET_ACCESS_KEY is not set", s3(e -> e.env.remove("AWS_SECRET_ACCESS_KEY")),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup s3 without BUCKET_NAME", 2, "BUCKET_NAME is not set", s3(e -> e.env.remove("BUCKET_NAME")),
                "release", "--backup", "s3"));
        c.add(new Case("backup pg_dump missing", 2, "not found", s3(e -> e.env.put("RUNWAY_PG_DUMP", "/nonexistent/pg_dump")),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup pg_dump older than the server", 2, "older than the server",
                s3(script("pg_dump", "echo 'pg_dump (PostgreSQL) 9.6.24'", "RUNWAY_PG_DUMP")), "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup pg_dump fails", 75, "pg_dump failed: pg_dump: error: connection lost",
                s3(script("pg_dump", "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 99.0'; exit 0; fi\n"
                        + "head -c 100000 /dev/zero; echo 'pg_dump: error: connection lost' >&2; exit 1", "RUNWAY_PG_DUMP")),
                "release", "--backup", "s3://bad-input/prod/"));
        c.add(new Case("backup other scheme", 2, "'gs:' is not a backup location", s3(e -> { }), "release", "--backup", "gs://bucket/prod/"));
        c.add(new Case("backup file scheme", 2, "'file:' is not a backup location", base(), "release", "--backup", "file:///tmp/x"));
        c.add(new Case("backup s3 without slashes", 2, "is not an S3 location", s3(e -> { }), "release", "--backup", "s3:bad-input"));
        c.add(new Case("backup bad bucket name", 2, "is not a valid bucket name", s3(e -> { }), "release", "--backup", "s3://Bad_Bucket/"));
        c.add(new Case("backup bad endpoint", 2, "AWS_ENDPOINT_URL_S3: 'fly.storage.tigris.dev' is not an http(s)://host",
                s3(e -> e.env.put("AWS_ENDPOINT_URL_S3", "fly.storage.tigris.dev")), "release", "--backup", "s3://bad-input/"));
        c.add(new Case("backup bad path style", 2, "--s3-path-style: 'sometimes'", s3(e -> { }),
                "release", "--backup", "s3://bad-input/", "--s3-path-style", "sometimes"));
        c.add(new Case("backup part size too small", 2, "--s3-part-size: 1 MiB", s3(e -> { }),
                "release", "--backup", "s3://bad-input/", "--s3-part-size", "1"));
        c.add(new Case("backup --keep without --backup", 2, "--keep needs --backup", base(), "release", "--keep", "3"));
        c.add(new Case("backup --keep negative", 2, "--keep: -1 is negative", base(), "release", "--backup", "b", "--keep", "-1"));
        c.add(new Case("backup flag on migrate", 2, "--backup", base(), "migrate", "--backup", "b"));
        c.add(new Case("backup restore into a non-empty database", 2, "is not empty", e -> {
            base().accept(e);
            assertThat(Cli.run(e.cwd, e.env, "release", "--backup", "dumps").exit()).isZero();
            try (Stream<Path> s = Files.list(e.cwd.resolve("dumps"))) {
                e.env.put("DUMP", s.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow().toString());
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        }, "backup", "restore", "@DUMP", "--to", "@URL"));
        c.add(new Case("backup restore missing key", 2, "no such backup", s3(e -> { }), "backup", "restore",
                "s3://bad-input/prod/nope-20250101T000000Z-v1.dump", "--to", "@URL"));
        c.add(new Case("backup restore other scheme", 2, "'https:' is not a backup location", base(), "backup", "restore",
                "https://example.invalid/x.dump", "--to", "@URL"));
        c.add(new Case("backup list without location", 2, "give a LOCATION", base(), "backup", "list"));
        c.add(new Case("backup list wrong secret", 2, "refused the credentials", s3(e -> e.env.put("AWS_SECRET_ACCESS_KEY", "y" + secret)),
                "backup", "list", "s3://bad-input/"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> eachBadBackupInputGetsOneLineAnExitCodeMigratesNothingAndShowsNoSecret() {
        return backupCases().stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Path cwd = Files.createDirectories(tmp.resolve(k.name().replaceAll("[^A-Za-z0-9]+", "_")));
            Env e = new Env(cwd, CliDb.create(LAB.lab(), "badbk"));
            k.setup().accept(e);
            List<String> before = CliDb.snapshot(LAB.lab(), e.url);
            String[] args = java.util.Arrays.stream(k.args()).map(a -> a.equals("@URL") ? e.url.toUnmaskedString()
                    : a.equals("@DUMP") ? e.env.get("DUMP") : a).toArray(String[]::new);
            Cli.Result r = Cli.run(cwd, e.env, args);
            assertThat(r.exit()).as("exit code of %s\n%s", k.name(), r.all()).isEqualTo(k.exit());
            assertThat(r.errLines()).as("stderr of %s", k.name()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("runway: error: ").contains(k.expected());
            assertThat(r.all()).as("password in output").doesNotContain(CliDb.PASSWORD);
            assertThat(r.all()).as("S3 secret in output").doesNotContain(S3ProxyServer.SECRET);
            assertThat(CliDb.snapshot(LAB.lab(), e.url)).as("database unchanged, nothing migrated").isEqualTo(before);
            if (List.of(k.args()).contains("json")) {
                var doc = new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(r.out());
                assertThat(doc.path("error").path("message").asText()).contains(k.expected());
                assertThat(doc.path("error").path("exit_code").asInt()).isEqualTo(k.exit());
            }
        }));
    }

    private static void assertOneLine(Case k, Cli.Result r) {
        assertThat(r.exit()).as("exit code of %s\n%s", k.name(), r.all()).isEqualTo(k.exit());
        assertThat(r.errLines()).as("stderr of %s", k.name()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("runway: error: ").contains(k.expected());
        assertThat(r.all()).as("password in output").doesNotContain(CliDb.PASSWORD);
    }

    @org.junit.jupiter.api.Test
    void thereAreAtLeastFortyDistinctCases() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(40).extracting(Case::name).doesNotHaveDuplicates();
        assertThat(flagCases()).extracting(Case::name).doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------------------------------------
    // Backfill keys, Java backfills, replica URLs and repair (docs/backfill.md): each refused before
    // anything changes, as one line with its exit code, and as one JSON document under --format json.

    /** Tables with keys a backfill cannot walk, or can only walk with the right placeholders. */
    static final String KEY_TABLES = "-- runway:up\n"
            + "CREATE TABLE u (id uuid NOT NULL, touched int NOT NULL DEFAULT 0);\n"
            + "CREATE INDEX u_hash ON u USING hash (id);\n"
            + "CREATE TABLE o (tenant_id int NOT NULL, id bigint NOT NULL, touched int NOT NULL DEFAULT 0, PRIMARY KEY (id, tenant_id));\n"
            + "CREATE TABLE p (id uuid PRIMARY KEY, touched int NOT NULL DEFAULT 0);\n"
            + "CREATE TABLE n (k uuid UNIQUE);\n"
            + "INSERT INTO n VALUES (NULL);\n"
            + "-- runway:down\nDROP TABLE u, o, p, n;\n";

    /** The key tables migrated, and data migration 2_b.sql: {@code -- runway:backfill <directive>} then {@code body}. */
    static Consumer<Env> keyed(String directive, String body) {
        return e -> { e.file("1_a.sql", KEY_TABLES).hash(); e.migrated();
            e.file("data/2_b.sql", "-- runway:backfill " + directive + "\n-- runway:up\n" + body).hashData(); };
    }

    static final String P_RANGE = "UPDATE p SET touched = 1 WHERE id >= :first AND id <= :last;\n";

    static List<Case> backfillCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("uuid key with only a hash index", 2, "2_b.sql:1: backfill key id of u has no usable index, so every batch"
                + " would scan the table; create one first, in a schema migration: CREATE INDEX CONCURRENTLY ON \"u\" (\"id\")"
                + " (not usable: u_hash is a hash index, which has no order)",
                keyed("table=u key=id", "UPDATE u SET touched = 1 WHERE id >= :first AND id <= :last;\n"), "data", "migrate"));
        c.add(new Case("composite key in another order than its index", 2, "2_b.sql:1: backfill key (tenant_id, id) of o has no"
                + " usable index", keyed("table=o key=tenant_id,id", "UPDATE o SET touched = 1 WHERE (tenant_id, id) >= (:first_tenant_id,"
                + " :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id);\n"), "data", "migrate"));
        c.add(new Case(":lo/:hi with a uuid key", 2, "2_b.sql:3: :lo needs one smallint, integer or bigint key column",
                keyed("table=p key=id", "UPDATE p SET touched = 1 WHERE id >= :lo AND id < :hi;\n"), "data", "migrate"));
        c.add(new Case("< :last skips a key", 2, "2_b.sql:3: '< :last' skips a key of every batch",
                keyed("table=p key=id", "UPDATE p SET touched = 1 WHERE id >= :first AND id < :last;\n"), "data", "migrate"));
        c.add(new Case("placeholder of a column not in the key", 2, "2_b.sql:3: :first_tenant: tenant is not a key column",
                keyed("table=p key=id", "UPDATE p SET touched = 1 WHERE id >= :first AND id <= :last AND :first_tenant = 1;\n"),
                "data", "migrate"));
        c.add(new Case("key column with NULLs", 2, "2_b.sql:1: backfill key k has rows where k IS NULL",
                keyed("table=n key=k", "UPDATE n SET k = k WHERE k >= :first AND k <= :last;\n"), "data", "migrate"));
        c.add(new Case("key column named twice", 2, "2_b.sql:1: backfill key='id,id' names id twice",
                keyed("table=p key=id,id", P_RANGE), "data", "migrate"));
        c.add(new Case("Java backfill class not on the class path", 2, "2_b.sql:1: backfill class com.example.Missing is not on the"
                + " class path", keyed("table=p key=id class=com.example.Missing", ""), "data", "migrate"));
        c.add(new Case("Java backfill class that is not one", 2, "2_b.sql:1: backfill class java.lang.String does not implement"
                + " dev.runway.backfill.JavaBackfill", keyed("table=p key=id class=java.lang.String", ""), "data", "migrate"));
        c.add(new Case("Java backfill with SQL statements", 2, "2_b.sql:3: a Java backfill (class=java.lang.String) runs no SQL of its own",
                keyed("table=p key=id class=java.lang.String", P_RANGE), "data", "migrate"));
        c.add(new Case("Java backfill class name malformed", 2, "2_b.sql:1: backfill class='com..X' is not a Java class name",
                keyed("table=p key=id class=com..X", ""), "data", "migrate"));
        c.add(new Case("--classpath entry missing", 2, "--classpath: 'no/such.jar' does not exist",
                keyed("table=p key=id", P_RANGE), "data", "migrate", "--classpath", "no/such.jar"));
        c.add(new Case("RUNWAY_REPLICA_URLS malformed", 2, "RUNWAY_REPLICA_URLS", e -> { keyed("table=p key=id", P_RANGE).accept(e);
            e.env.put("RUNWAY_REPLICA_URLS", "mysql://u:" + CliDb.PASSWORD + "@h/db"); }, "data", "migrate"));
        c.add(new Case("replica URL that is the primary", 2, "is not a replica (pg_is_in_recovery() is false)", e -> {
            keyed("table=p key=id max-lag=1s", P_RANGE).accept(e); e.env.put("RUNWAY_REPLICA_URLS", e.url.toUnmaskedString()); },
                "data", "migrate"));
        c.add(new Case("replica URL unreachable", 75, "cannot connect", e -> { keyed("table=p key=id max-lag=1s", P_RANGE).accept(e);
            e.env.put("RUNWAY_REPLICA_URLS", "postgres://u:" + CliDb.PASSWORD + "@127.0.0.1:1/db"); }, "data", "migrate"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> eachBadBackfillInputGetsOneLineAnExitCodeOneJsonDocumentAndChangesNothing() {
        return Ahead.tests(backfillCases(), Case::name, k -> {
            Path cwd = Files.createDirectories(tmp.resolve("bf_" + k.name().replaceAll("[^A-Za-z0-9]+", "_")));
            Env e = new Env(cwd, CliDb.create(LAB.lab(), "badbf"));
            k.setup().accept(e);
            List<String> before = CliDb.snapshot(LAB.lab(), e.url);
            Cli.Result r = Cli.run(cwd, e.env, k.args());
            assertThat(r.exit()).as("exit code of %s\n%s", k.name(), r.all()).isEqualTo(k.exit());
            assertThat(r.errLines()).as("stderr of %s", k.name()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("runway: error: ").contains(k.expected());
            List<String> json = new ArrayList<>(List.of(k.args()));
            json.addAll(List.of("--format", "json"));
            Cli.Result j = Cli.run(cwd, e.env, json.toArray(new String[0]));
            assertThat(j.exit()).as("exit code of %s --format json\n%s", k.name(), j.all()).isEqualTo(k.exit());
            var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(j.out()); // exactly one document, or it throws
            assertThat(doc.at("/error/exit_code").asInt()).isEqualTo(k.exit());
            assertThat(doc.at("/error/message").asText()).contains(k.expected());
            assertThat(r.all() + j.all()).as("password in output").doesNotContain(CliDb.PASSWORD);
            assertThat(CliDb.snapshot(LAB.lab(), e.url)).as("database unchanged").isEqualTo(before);
        });
    }
}
