package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every command end to end through the real CLI, text and JSON, with a password in DATABASE_URL that never shows. */
class CliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        url = CliDb.create(LAB.lab(), "cli");
        env = Map.of("DATABASE_URL", url.toUnmaskedString());
    }

    Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(cwd, env, args);
        assertThat(r.exit()).as("runway %s\n%s", String.join(" ", args), r.all()).isZero();
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
        return r;
    }

    Cli.Result fails(int exit, String... args) {
        Cli.Result r = Cli.run(cwd, env, args);
        assertThat(r.exit()).as("runway %s\n%s", String.join(" ", args), r.all()).isEqualTo(exit);
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
        return r;
    }

    Path writeUp(String name, String up, String down) throws Exception {
        Path dir = cwd.resolve("migrations");
        Path f;
        try (Stream<Path> s = Files.list(dir)) {
            f = s.filter(p -> p.getFileName().toString().endsWith("_" + name + ".sql")).findFirst().orElseThrow();
        }
        Files.writeString(f, "-- runway:up\n" + up + "\n-- runway:down\n" + down + "\n");
        return f;
    }

    @Test
    void newHashVerifyReleaseStatusRollbackInTextAndJson() throws Exception {
        assertThat(ok("new", "create widgets").out()).contains("_create_widgets.sql");
        writeUp("create_widgets", "CREATE TABLE widgets (id int);", "DROP TABLE widgets;");
        fails(4, "verify"); // edited after 'new' wrote runway.sum
        ok("hash");
        assertThat(ok("verify").out()).contains("ok: 1 schema and 0 data migrations");
        ok("new", "add_widget_name");
        writeUp("add_widget_name", "ALTER TABLE widgets ADD COLUMN name text;", "ALTER TABLE widgets DROP COLUMN name;");
        ok("hash");

        Cli.Result dry = ok("migrate", "--dry-run", "--format", "json");
        JsonNode d = JSON.readTree(dry.out());
        assertThat(d.get("dry_run").asBoolean()).isTrue();
        assertThat(d.get("plan")).hasSize(2);

        Cli.Result release = ok("release");
        assertThat(release.out()).contains("Migrating to version").contains("-> CREATE TABLE widgets (id int);")
                .contains("-- 2 migrations").contains("-- 2 sql statements");
        assertThat(ok("release").out()).contains("No migration files to execute");

        JsonNode status = JSON.readTree(ok("status", "--format", "json").out());
        assertThat(status.get("pending").asInt()).isZero();
        assertThat(status.get("migrations")).hasSize(2);
        assertThat(status.get("database").asText()).contains("app:***@").doesNotContain(CliDb.PASSWORD);
        assertThat(status.get("migrations").get(0).get("state").asText()).isEqualTo("applied");

        JsonNode rb = JSON.readTree(ok("rollback", "--step", "1", "--format", "json").out());
        assertThat(rb.get("direction").asText()).isEqualTo("down");
        assertThat(rb.get("applied").asInt()).isEqualTo(1);
        assertThat(ok("status").out()).contains("pending").contains("1 pending");
        ok("rollback", "--to", "0");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history")).containsExactly("0");
    }

    @Test
    void onATerminalLongWorkShowsAProgressLineThatIsErasedAtTheEnd() throws Exception {
        Assumptions.assumeTrue(Cli.terminalAvailable(), "util-linux script(1) gives the child a terminal");
        ok("new", "slow");
        writeUp("slow", "SELECT pg_sleep(1.5);", "SELECT 1;");
        ok("new", "quick");
        writeUp("quick", "CREATE TABLE quick (id int);\nCREATE INDEX ON quick (id);", "DROP TABLE quick;");
        ok("hash");
        Cli.Result r = Cli.runOnTerminal(cwd, env, "release");
        String tty = r.out();
        assertThat(r.exit()).as(tty).isZero();
        assertThat(tty).doesNotContain(CliDb.PASSWORD);
        // the bar appeared while the slow migration ran (after a second), with what was running ...
        assertThat(tty).contains("] 0/2 migrations  1s").contains("slow");
        // ... was erased before each log line and at the end, so the log reads as without it
        String erase = "\r\u001b[K";
        assertThat(tty).contains(erase + "  -- ok");
        String beforeSummary = tty.substring(0, tty.indexOf("  -------------------------"));
        assertThat(beforeSummary).endsWith(erase);
        String log = tty.replaceAll("\r  \\[[#-]{20}\\][^\r\n]*", "").replace(erase, "").replace("\r\n", "\n");
        assertThat(log).contains("  -- migrating version").contains("-> SELECT pg_sleep(1.5);").contains("-- 2 migrations")
                .doesNotContain("\r").doesNotContain("\u001b");
    }

    @Test
    void releaseRefusesLintErrorsInPendingFilesUnlessSuppressed() throws Exception {
        ok("new", "t");
        writeUp("t", "CREATE TABLE t (id bigint PRIMARY KEY, x int);", "DROP TABLE t;");
        ok("hash");
        ok("release");
        ok("new", "t_x");
        Path f = writeUp("t_x", "CREATE INDEX t_x ON t (x);", "DROP INDEX t_x;");
        ok("hash");
        Cli.Result r = fails(3, "release", "--gate-small-table", "0"); // t is empty: every existing table counts
        assertThat(r.err()).contains("RW101").contains("CONCURRENTLY").contains("release refused: 1 lint error");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_indexes WHERE indexname = 't_x'")).containsExactly("0");
        Files.writeString(f, "-- runway:nolint RW101 t is empty until launch\n" + Files.readString(f));
        ok("hash");
        ok("release", "--gate-small-table", "0");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_indexes WHERE indexname = 't_x'")).containsExactly("1");
    }

    @Test
    void anInlineNolintLetsTheGatePassForItsStatementOnly() throws Exception {
        ok("new", "t");
        writeUp("t", "CREATE TABLE t (id bigint PRIMARY KEY, x int, y int);", "DROP TABLE t;");
        ok("hash");
        ok("release");
        ok("new", "t_idx");
        Path f = writeUp("t_idx", "-- runway:nolint RW101 t is empty until launch\nCREATE INDEX t_x ON t (x);\nCREATE INDEX t_y ON t (y);",
                "DROP INDEX t_y;\nDROP INDEX t_x;");
        ok("hash");
        String name = f.getFileName().toString();
        Cli.Result r = fails(3, "release", "--gate-small-table", "0");
        assertThat(r.err()).contains(name + ":4: error RW101").doesNotContain(name + ":3:").contains("release refused: 1 lint error");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'")).containsExactly("1");
        Files.writeString(f, Files.readString(f).replace("CREATE INDEX t_y", "-- runway:nolint RW101 same reason\nCREATE INDEX t_y"));
        ok("hash");
        assertThat(ok("release", "--gate-small-table", "0").err()).doesNotContain("RW101");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'")).containsExactly("3");
    }

    @Test
    void failureInJsonModeIsOneDocumentWithTheExitCode() throws Exception {
        ok("new", "boom");
        writeUp("boom", "CREATE TABLE t (id int);\nSELECT 1/0;", "DROP TABLE t;");
        ok("hash");
        Cli.Result r = fails(1, "migrate", "--format", "json");
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("error").get("exit_code").asInt()).isEqualTo(1);
        assertThat(doc.get("error").get("sqlstate").asText()).isEqualTo("22012");
        assertThat(doc.get("migrations").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(doc.get("ok").asBoolean()).isFalse();
        assertThat(doc.get("exitCode").asInt()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1).allMatch(l -> l.startsWith("runway: error: ") && l.contains("division by zero"));
    }

    @Test
    void dataMigrationsRunOnlyWhenAskedFor() throws Exception {
        ok("new", "t");
        writeUp("t", "CREATE TABLE t (id int);", "DROP TABLE t;");
        ok("hash");
        ok("new", "seed", "--data");
        Path data = cwd.resolve("migrations/data");
        Path f;
        try (Stream<Path> s = Files.list(data)) {
            f = s.filter(p -> p.toString().endsWith("_seed.sql")).findFirst().orElseThrow();
        }
        Files.writeString(f, "-- runway:up\nINSERT INTO t VALUES (1);\n-- runway:down\nDELETE FROM t;\n");
        ok("hash");
        ok("release");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM t")).containsExactly("0");
        assertThat(ok("data", "status").out()).contains("1 pending");
        ok("release", "--with-data");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM t")).containsExactly("1");
    }

    @Test
    void backupWritesAnOwnerOnlyDumpAndRefusesAnOlderPgDump() throws Exception {
        ok("new", "t");
        writeUp("t", "CREATE TABLE t (id int);", "DROP TABLE t;");
        ok("hash");
        Path fake = cwd.resolve("old_pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result old = Cli.run(cwd, Map.of("DATABASE_URL", url.toUnmaskedString(), "RUNWAY_PG_DUMP", fake.toString()),
                "release", "--backup", "backups");
        assertThat(old.exit()).isEqualTo(2);
        assertThat(old.err()).contains("--backup").contains("older than the server");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT to_regclass('t') IS NULL")).containsExactly("t");

        Cli.Result r = ok("release", "--backup", "backups");
        assertThat(r.out()).contains("Backup written to");
        List<Path> dumps;
        try (Stream<Path> s = Files.list(cwd.resolve("backups"))) {
            dumps = s.filter(p -> p.toString().endsWith(".dump")).toList();
        }
        assertThat(dumps).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dumps.get(0)))).isEqualTo("rw-------");
        assertThat(Files.size(dumps.get(0))).isGreaterThan(100);
        assertThat(ok("release", "--backup", "backups").out()).doesNotContain("Backup written"); // nothing pending: no dump
    }

    @Test
    void repairAndBaselineSayWhatTheyDo() throws Exception {
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_t.sql"), "-- runway:transaction none\n-- runway:up\nCREATE TABLE t (x int);\nSELECT 1/0;\n");
        ok("hash");
        fails(1, "migrate");
        assertThat(fails(4, "status").out()).contains("failed (1/2 statements)").contains("division by zero");
        assertThat(ok("repair", "--dry-run").out()).contains("Would repair").contains("resumes at statement 2 of 2");
        fails(4, "migrate");
        Files.writeString(dir.resolve("1_t.sql"), "-- runway:transaction none\n-- runway:up\nCREATE TABLE t (x int);\nSELECT 1;\n");
        ok("hash");
        ok("repair");
        assertThat(ok("migrate").out()).contains("resuming at statement 2 of 2");

        DatabaseUrl other = CliDb.create(LAB.lab(), "baseline");
        Cli.Result b = Cli.run(cwd, Map.of("DATABASE_URL", other.toUnmaskedString()), "baseline", "--version", "1");
        assertThat(b.exit()).isZero();
        assertThat(b.out()).contains("Baselined at version 1");
    }

    @Test
    void runwayTomlAndPrecedence() throws Exception {
        Files.createDirectories(cwd.resolve("db"));
        Files.writeString(cwd.resolve("db/1_t.sql"), "-- runway:up\nCREATE TABLE t (id int);\n");
        Files.writeString(cwd.resolve("runway.toml"), "dir = \"db\"\nlock_timeout = \"2s\"\n");
        ok("hash");
        ok("migrate");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history")).containsExactly("1");
        // flag beats runway.toml: a bad flag value is reported as the flag
        assertThat(fails(2, "migrate", "--lock-timeout", "x").err()).contains("--lock-timeout");
    }

    @Test
    void labUpStatusEnvDownPersistBetweenInvocations() throws Exception {
        Path lab = cwd.resolve("lab");
        Cli.Result up = ok("lab", "up", "--dir", lab.toString(), "--replicas", "1", "--delay", "replica1=20");
        try {
            assertThat(up.out()).contains("Lab up in").contains("replica1").contains("streaming");
            assertThat(ok("lab", "status", "--dir", lab.toString()).out()).contains("primary").contains("replica1")
                    .contains("(20 ms from primary)");
            String exports = ok("lab", "env", "--dir", lab.toString()).out();
            assertThat(exports).contains("export DATABASE_URL='postgres://postgres@127.0.0.1:").contains("export RUNWAY_REPLICA1_URL=");
            fails(2, "lab", "up", "--dir", lab.toString());
        } finally {
            ok("lab", "down", "--dir", lab.toString(), "--clean");
        }
        assertThat(lab).doesNotExist();
        fails(2, "lab", "down", "--dir", lab.toString());
    }
}
