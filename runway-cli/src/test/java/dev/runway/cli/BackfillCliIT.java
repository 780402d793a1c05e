package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runway data migrate} with a backfill, end to end: output, JSON, {@code data status} of a
 * stopped run, kill -9 mid-run then a resume that finishes with every row processed exactly once, and
 * Ctrl-C (exit 75, checkpoint saved).
 */
class BackfillCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    static final int ROWS = 100_000;

    /** A database with t(id, touched) of {@code rows} rows and a data migration that counts each visit. */
    Map<String, String> setup(String name, int rows, String directive) throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "bfcli");
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0);"
                    + " INSERT INTO t (id) SELECT g FROM generate_series(1, " + rows + ") g");
        }
        Path data = Files.createDirectories(tmp.resolve(name).resolve("migrations").resolve("data"));
        Files.writeString(data.resolve("20250101000000_touch.sql"), "-- runway:backfill " + directive + "\n-- runway:up\n"
                + "UPDATE t SET touched = touched + 1 WHERE id >= :lo AND id < :hi;\n");
        SumFile.write(data);
        return Map.of("DATABASE_URL", url.toUnmaskedString(), "DB", url.database());
    }

    static List<String> q(Map<String, String> env, String sql) {
        return CliDb.strings(LAB.lab(), DatabaseUrl.parse(env.get("DATABASE_URL"), "test"), sql);
    }

    static void exec(Map<String, String> env, String sql) throws Exception {
        try (Connection c = LAB.lab().primary().connect(env.get("DB")); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Batches in the checkpoint, 0 before the table exists. */
    static long batches(Map<String, String> env) {
        if (q(env, "SELECT 1 WHERE to_regclass('runway_schema_history_backfill') IS NOT NULL").isEmpty()) {
            return 0;
        }
        List<String> b = q(env, "SELECT batches FROM runway_schema_history_backfill");
        return b.isEmpty() ? 0 : Long.parseLong(b.get(0));
    }

    @Test
    void runsWithSummaryLinesAndJson() throws Exception {
        Map<String, String> env = setup("text", 20_000, "table=t key=id batch=1000 target=0 max-lag=0");
        Cli.Result r = Cli.run(tmp.resolve("text"), env, "data", "migrate");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("-- migrating version 20250101000000 (touch)")
                .contains("    -> backfill done: 20000 rows in 20 batches");
        assertThat(r.out().lines().filter(l -> l.contains("-> backfill")).count()).as("not one line per batch").isLessThan(5);
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("20000");

        Map<String, String> env2 = setup("json", 3000, "table=t key=id batch=1000 target=0 max-lag=0");
        Cli.Result j = Cli.run(tmp.resolve("json"), env2, "data", "migrate", "--format", "json");
        assertThat(j.exit()).as(j.all()).isZero();
        assertThat(j.out()).contains("\"backfill\" : {").contains("\"rows\" : 3000").contains("\"batches\" : 3")
                .contains("\"done\" : true");
    }

    @Test
    void onATerminalTheProgressLineShowsRowsPerSecondAndEta() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Cli.terminalAvailable(), "util-linux script(1) gives the child a terminal");
        Map<String, String> env = setup("tty", 20_000, "table=t key=id batch=500 target=0 pause=50ms max-lag=0");
        Cli.Result r = Cli.runOnTerminal(tmp.resolve("tty"), env, "data", "migrate");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("\\] 0/1 migrations  \\ds  touch \\d+%, \\d+ rows/s, ETA \\d+s")
                .contains("\r\u001b[K").contains("-> backfill done: 20000 rows in 40 batches").doesNotContain(CliDb.PASSWORD);
    }

    @Test
    void releaseWithDataRunsTheBackfillAndASecondRunnerWaitsForTheLock() throws Exception {
        Map<String, String> env = setup("release", 30_000, "table=t key=id batch=500 target=0 pause=50ms max-lag=0");
        Path cwd = tmp.resolve("release");
        Files.createDirectories(cwd.resolve("migrations"));
        SumFile.write(cwd.resolve("migrations"));
        Path out = tmp.resolve("release.out");
        Process first = Cli.builder(cwd, env, "release", "--with-data").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && batches(env) < 2) {
            Thread.sleep(20);
        }
        // one runner at a time: the backfill holds the migration lock for its whole run
        Cli.Result second = Cli.run(cwd, env, "data", "migrate", "--lock-wait", "1s");
        assertThat(second.exit()).as(second.all()).isEqualTo(75);
        assertThat(second.err()).contains("lock");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("-> backfill done: 30000 rows in 60 batches");
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("30000");
    }

    @Test
    void killNineMidRunThenTheNextRunResumesFromTheCheckpoint() throws Exception {
        // 2 trials (20 with -Plong), each killed after a random number of batches
        java.util.Random random = new java.util.Random(7);
        for (int trial = 1; trial <= 2 * Integer.getInteger("runway.it.scale", 1); trial++) {
            killAndResume("kill" + trial, ROWS, 2 + random.nextInt(40));
        }
    }

    void killAndResume(String name, int rows, int killAfter) throws Exception {
        Map<String, String> env = setup(name, rows, "table=t key=id batch=1000 target=0 pause=20ms max-lag=0");
        Path cwd = tmp.resolve(name);
        File log = tmp.resolve(name + ".txt").toFile();
        Process p = Cli.builder(cwd, env, "data", "migrate").redirectErrorStream(true).redirectOutput(log).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && batches(env) < killAfter) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still running when killed").isTrue();
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
        long batchesAtKill = batches(env);
        assertThat(batchesAtKill).isBetween((long) killAfter, (long) rows / 1000 - 1);
        // what was committed is exactly what the checkpoint says: never a batch without its checkpoint
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly(String.valueOf(batchesAtKill * 1000));
        assertThat(q(env, "SELECT status FROM runway_schema_history WHERE kind = 'data'")).containsExactly("running");

        Cli.Result status = Cli.run(cwd, env, "data", "status");
        assertThat(status.exit()).as(status.all()).isZero();
        assertThat(status.out()).contains("partially applied (backfill: " + batchesAtKill * 1000 + " rows in " + batchesAtKill
                + " batches, after id " + batchesAtKill * 1000 + ")");

        Cli.Result next = Cli.run(cwd, env, "data", "migrate", "--lock-wait", "30s");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.out()).contains("resuming the backfill after id " + batchesAtKill * 1000 + " (");
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).as("every row once").containsExactly(String.valueOf(rows));
        assertThat(q(env, "SELECT max(touched) FROM t")).as("no row twice").containsExactly("1");
        assertThat(q(env, "SELECT batches || ' ' || rows FROM runway_schema_history_backfill"))
                .containsExactly(rows / 1000 + " " + rows);
        assertThat(q(env, "SELECT status FROM runway_schema_history WHERE kind = 'data'")).containsExactly("applied");
        assertThat(next.all() + Files.readString(log.toPath())).doesNotContain(CliDb.PASSWORD);
    }

    @Test
    void aFailedBackfillIsRepairedAndResumesFromItsCheckpoint() throws Exception {
        Map<String, String> env = setup("repair", 10_000, "table=t key=id batch=1000 target=0 max-lag=0");
        Path cwd = tmp.resolve("repair");
        SumFile.write(Files.createDirectories(cwd.resolve("migrations"))); // repair also looks at the schema migrations
        exec(env, "CREATE TABLE stop_at (id bigint); INSERT INTO stop_at VALUES (4500);"
                + " CREATE FUNCTION t_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.id >= (SELECT coalesce(max(id), 1e18) FROM stop_at) THEN RAISE EXCEPTION 'guard at %', NEW.id; END IF;"
                + " RETURN NEW; END $$; CREATE TRIGGER t_guard BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_guard()");
        Cli.Result failed = Cli.run(cwd, env, "data", "migrate");
        assertThat(failed.exit()).as(failed.all()).isEqualTo(1);
        assertThat(failed.errLines()).singleElement().asString().contains("guard at 4500").contains("then 'runway repair'");
        Cli.Result refused = Cli.run(cwd, env, "data", "migrate");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(4);
        assertThat(refused.err()).contains("failed in an earlier run").contains("runway repair");
        Cli.Result status = Cli.run(cwd, env, "data", "status");
        assertThat(status.out()).contains("failed (backfill: 4000 rows in 4 batches, after id 4000)").contains("error: ERROR: guard at 4500");

        Cli.Result dry = Cli.run(cwd, env, "repair", "--dry-run");
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("Would repair (dry run, nothing changed):\n  - 20250101000000_touch.sql: clear the failed state"
                + " (ERROR: guard at 4500").contains("), keep the checkpoint (4000 rows in 4 batches, after id 4000); the next"
                + " 'runway data migrate' resumes after it");
        assertThat(q(env, "SELECT status FROM runway_schema_history WHERE kind = 'data'")).containsExactly("failed");

        exec(env, "DELETE FROM stop_at");
        Cli.Result repaired = Cli.run(cwd, env, "repair", "--format", "json");
        assertThat(repaired.exit()).as(repaired.all()).isZero();
        assertThat(repaired.out()).contains("\"dry_run\" : false").contains("keep the checkpoint (4000 rows in 4 batches, after id 4000)");
        Cli.Result next = Cli.run(cwd, env, "data", "migrate");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.out()).contains("resuming the backfill after id 4000 (4 batches, 4000 rows done)");
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("10000");
        assertThat(q(env, "SELECT max(touched) FROM t")).containsExactly("1");
    }

    /** Compiles a Java backfill outside the CLI's class path, as a user's build would, into {@code dir}. */
    static void compileJavaBackfill(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/acme"));
        Files.writeString(src.resolve("Touch.java"), "package acme;\n"
                + "public class Touch implements dev.runway.backfill.JavaBackfill {\n"
                + "  public long run(dev.runway.backfill.BackfillBatch b) throws Exception {\n"
                + "    try (var ps = b.connection().prepareStatement(\"UPDATE t SET touched = touched + 1 WHERE \" + b.range())) {\n"
                + "      b.bindRange(ps, 1);\n      return ps.executeUpdate();\n    }\n  }\n}\n");
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-cp", Cli.classpath(), "-d", dir.resolve("classes").toString(),
                src.resolve("Touch.java").toString());
        assertThat(rc).isZero();
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(Files.createDirectories(dir.resolve("lib"))
                .resolve("touch.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("acme/Touch.class"));
            jar.write(Files.readAllBytes(dir.resolve("classes/acme/Touch.class")));
            jar.closeEntry();
        }
    }

    @Test
    void aJavaBackfillRunsFromTheClassPathGivenByFlagOrEnvironment() throws Exception {
        Path lib = tmp.resolve("userlib");
        compileJavaBackfill(lib);
        Map<String, String> env = setup("java", 5000, "table=t key=id class=acme.Touch batch=1000 target=0 max-lag=0");
        Path data = tmp.resolve("java").resolve("migrations").resolve("data");
        Files.writeString(data.resolve("20250101000000_touch.sql"), "-- runway:backfill table=t key=id class=acme.Touch batch=1000"
                + " target=0 max-lag=0\n-- runway:up\n");
        SumFile.write(data);
        Path cwd = tmp.resolve("java");

        Cli.Result missing = Cli.run(cwd, env, "data", "migrate");
        assertThat(missing.exit()).as(missing.all()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString()
                .contains("20250101000000_touch.sql:1: backfill class acme.Touch is not on the class path (CLI: --classpath");

        Cli.Result r = Cli.run(cwd, env, "data", "migrate", "--classpath", lib.resolve("classes").toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("-> backfill done: 5000 rows in 5 batches");
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("5000");

        Map<String, String> env2 = new java.util.HashMap<>(setup("java2", 3000, "table=t key=id class=acme.Touch batch=1000 target=0 max-lag=0"));
        Path data2 = tmp.resolve("java2").resolve("migrations").resolve("data");
        Files.writeString(data2.resolve("20250101000000_touch.sql"), "-- runway:backfill table=t key=id class=acme.Touch batch=1000"
                + " target=0 max-lag=0\n-- runway:up\n");
        SumFile.write(data2);
        env2.put("RUNWAY_CLASSPATH", lib.resolve("lib") + "/*");
        Cli.Result j = Cli.run(tmp.resolve("java2"), env2, "data", "migrate", "--format", "json");
        assertThat(j.exit()).as(j.all()).isZero();
        assertThat(q(env2, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("3000");
    }

    /**
     * A key type for the kill -9 scenario: the table {@code k} it creates (with {@code touched}), the
     * directive's key and the statement's bounds, the key order, and how a key shows in status lines.
     */
    record KeyCase(String name, String create, String key, String where, String order, String shown) {
    }

    static final int KEY_ROWS = Integer.getInteger("runway.it.scale", 1) > 1 ? 1_000_000 : 50_000;

    static final List<KeyCase> KEY_CASES = List.of(
            new KeyCase("uuid", "CREATE TABLE k (id uuid PRIMARY KEY, touched int NOT NULL DEFAULT 0);"
                    + " INSERT INTO k (id) SELECT gen_random_uuid() FROM generate_series(1, {rows})", "id",
                    "id >= :first AND id <= :last", "id", "'id ' || quote_literal(id::text)"),
            new KeyCase("text", "CREATE TABLE k (name text COLLATE \"en-x-icu\" PRIMARY KEY, touched int NOT NULL DEFAULT 0);"
                    + " INSERT INTO k (name) SELECT CASE WHEN g % 3 = 0 THEN upper(md5(g::text)) ELSE md5(g::text) END || '-' || g"
                    + " FROM generate_series(1, {rows}) g", "name", "name BETWEEN :first AND :last", "name", "'name ' || quote_literal(name)"),
            new KeyCase("composite", "CREATE TABLE k (tenant_id int NOT NULL, id uuid NOT NULL, touched int NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (tenant_id, id)); INSERT INTO k (tenant_id, id) SELECT g % 50, gen_random_uuid()"
                    + " FROM generate_series(1, {rows}) g", "tenant_id,id",
                    "(tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id)",
                    "tenant_id, id", "'(tenant_id, id) (' || tenant_id || ', ' || quote_literal(id::text) || ')'"));

    @Test
    void killNineMidRunResumesExactlyForUuidTextAndCompositeKeys() throws Exception {
        // one trial per key type (3 with -Plong, on 1,000,000 rows), each killed after a random number of batches
        java.util.Random random = new java.util.Random(17);
        int trials = Integer.getInteger("runway.it.scale", 1) > 1 ? 3 : 1;
        for (KeyCase k : KEY_CASES) {
            for (int trial = 1; trial <= trials; trial++) {
                killAndResumeKey(k, k.name() + trial, 2 + random.nextInt(30));
            }
        }
    }

    void killAndResumeKey(KeyCase k, String name, int killAfter) throws Exception {
        int batch = 1000;
        Map<String, String> env = setup(name, 0, "table=t key=id");
        exec(env, k.create().replace("{rows}", String.valueOf(KEY_ROWS)) + "; ANALYZE k");
        Path cwd = tmp.resolve(name);
        Path data = cwd.resolve("migrations").resolve("data");
        Files.writeString(data.resolve("20250101000000_touch.sql"), "-- runway:backfill table=k key=" + k.key() + " batch=" + batch
                + " target=0 pause=20ms max-lag=0\n-- runway:up\nUPDATE k SET touched = touched + 1 WHERE " + k.where() + ";\n");
        SumFile.write(data);
        File log = tmp.resolve(name + ".txt").toFile();
        Process p = Cli.builder(cwd, env, "data", "migrate").redirectErrorStream(true).redirectOutput(log).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && batches(env) < killAfter) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still running when killed").isTrue();
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
        long done = batches(env) * batch;
        assertThat(done).isBetween((long) killAfter * batch, KEY_ROWS - (long) batch);
        // exactly the first `done` keys in the index's order are done, and the checkpoint's key is the last of them
        assertThat(q(env, "SELECT count(*) FROM k WHERE touched = 1")).containsExactly(String.valueOf(done));
        assertThat(q(env, "SELECT count(*) FROM (SELECT touched FROM k ORDER BY " + k.order() + " LIMIT " + done + ") f WHERE touched = 1"))
                .containsExactly(String.valueOf(done));
        String lastDone = q(env, "SELECT " + k.shown() + " FROM k ORDER BY " + k.order() + " OFFSET " + (done - 1) + " LIMIT 1").get(0);
        Cli.Result status = Cli.run(cwd, env, "data", "status");
        assertThat(status.out()).as(name).contains("partially applied (backfill: " + done + " rows in " + done / batch
                + " batches, after " + lastDone + ")");

        Cli.Result next = Cli.run(cwd, env, "data", "migrate", "--lock-wait", "30s");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.out()).contains("resuming the backfill after " + lastDone + " (" + done / batch + " batches");
        assertThat(q(env, "SELECT count(*) FROM k WHERE touched = 1")).as("every row once").containsExactly(String.valueOf(KEY_ROWS));
        assertThat(q(env, "SELECT count(*) FROM k WHERE touched <> 1")).as("no row twice").containsExactly("0");
    }

    @Test
    void ctrlCStopsAfterTheCurrentBatchWithExit75AndTheNextRunFinishes() throws Exception {
        Map<String, String> env = setup("int", 50_000, "table=t key=id batch=500 target=0 pause=20ms max-lag=0");
        Path cwd = tmp.resolve("int");
        Path out = tmp.resolve("int.out");
        Path err = tmp.resolve("int.err");
        Process p = Cli.builder(cwd, env, "data", "migrate").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !q(env, "SELECT 1 FROM t WHERE touched = 1 LIMIT 1").equals(List.of("1"))) {
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(out) + Files.readString(err)).isEqualTo(75);
        assertThat(Files.readString(err)).contains("stopping after the current step")
                .contains("backfill stopped on request; its checkpoint is saved");
        long done = Long.parseLong(q(env, "SELECT batches FROM runway_schema_history_backfill").get(0));
        assertThat(done).isLessThan(100);
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly(String.valueOf(done * 500));
        assertThat(q(env, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runway'")).containsExactly("0");

        Cli.Result next = Cli.run(cwd, env, "data", "migrate");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(q(env, "SELECT count(*) FROM t WHERE touched = 1")).containsExactly("50000");
    }
}
