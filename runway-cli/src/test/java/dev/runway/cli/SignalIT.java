package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import dev.runway.migrate.lock.MigrationLock;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT (with and without a terminal) and SIGTERM during a release: exit 75 with "interrupted: N
 * pending", the history exact (a row for exactly the migrations whose changes exist), the lock
 * released, and the next release applies the rest. A statement that outlasts the grace is cancelled.
 */
class SignalIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final int FILES = 8;

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env;
    Path dir;

    @BeforeEach
    void eightSlowMigrations() throws Exception {
        url = CliDb.create(LAB.lab(), "signal");
        env = Map.of("DATABASE_URL", url.toUnmaskedString());
        dir = Files.createDirectories(cwd.resolve("migrations"));
        for (int i = 1; i <= FILES; i++) {
            Files.writeString(dir.resolve(i + "_t" + i + ".sql"), "-- runway:up\nCREATE TABLE t" + i + " (id int);\nSELECT pg_sleep(0.3);\n");
        }
        SumFile.write(dir);
    }

    @Test
    void sigintWithoutATerminalStopsAfterTheCurrentMigrationWithExit75() throws Exception {
        Path out = cwd.resolve("out.txt");
        Path err = cwd.resolve("err.txt");
        Process p = Cli.builder(cwd, env, "release").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        await(() -> applied() >= 2);
        signal(p, "INT");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String all = Files.readString(out) + Files.readString(err);
        assertInterrupted(p.exitValue(), all);
        assertThat(Files.readString(err)).contains("runway: SIGINT: stopping after the current step");
        assertNextReleaseAppliesTheRest();
    }

    @Test
    void ctrlCOnATerminalStopsAfterTheCurrentMigrationWithExit75() throws Exception {
        Assumptions.assumeTrue(Cli.terminalAvailable(), "util-linux script(1) gives the child a terminal");
        Process p = Cli.onTerminal(Cli.builder(cwd, env, "release")).start();
        StringBuilder tty = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                tty.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                tty.append(e);
            }
        });
        reader.start();
        await(() -> applied() >= 2);
        OutputStream keyboard = p.getOutputStream();
        keyboard.write(3); // Ctrl-C: the terminal sends SIGINT to its foreground process group
        keyboard.flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertInterrupted(p.exitValue(), tty.toString());
        assertThat(tty.toString()).contains("SIGINT: stopping after the current step");
        assertNextReleaseAppliesTheRest();
    }

    @Test
    void sigtermCancelsAStatementThatOutlastsTheGraceAndReportsItInJson() throws Exception {
        Files.writeString(dir.resolve("3_t3.sql"), "-- runway:up\nCREATE TABLE t3 (id int);\nSELECT pg_sleep(120);\n");
        SumFile.write(dir);
        Path out = cwd.resolve("out.json");
        Process p = Cli.builder(cwd, env, "release", "--stop-grace", "1s", "--format", "json").redirectOutput(out.toFile())
                .redirectError(cwd.resolve("err.txt").toFile()).start();
        // the statement runs inside its migration's one message (BEGIN; ...; SELECT pg_sleep(120); ...; COMMIT)
        await(() -> !CliDb.strings(LAB.lab(), url, "SELECT pid FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(120)%'"
                + " AND state = 'active' AND pid <> pg_backend_pid()").isEmpty());
        long t0 = System.nanoTime();
        signal(p, "TERM");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        String err = Files.readString(cwd.resolve("err.txt"));
        assertThat(p.exitValue()).as(err).isEqualTo(75);
        assertThat(tookMs).as("stopped by the cancel, not by the statement ending").isLessThan(100_000);
        JsonNode doc = JSON.readTree(Files.readString(out));
        assertThat(doc.get("ok").asBoolean()).isFalse();
        assertThat(doc.get("exitCode").asInt()).isEqualTo(75);
        assertThat(doc.get("interrupted").asBoolean()).isTrue();
        assertThat(doc.get("pending").asInt()).isEqualTo(FILES - 2);
        assertThat(doc.get("error").get("message").asText()).startsWith("interrupted: 6 pending (2 of 8 applied by this run)")
                .contains("3_t3.sql:3: its statement was cancelled on request");
        assertThat(err).contains("runway: SIGTERM: stopping after the current step").doesNotContain(CliDb.PASSWORD);
        assertThat(historyIsExact()).isEqualTo(2);
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(120)%'"
                + " AND pid <> pg_backend_pid()"))
                .containsExactly("0");
    }

    @Test
    void aNonTransactionalMigrationCancelledMidWayStaysResumableNotFailed() throws Exception {
        Files.writeString(dir.resolve("3_t3.sql"), "-- runway:transaction none\n-- runway:up\nCREATE TABLE t3 (id int);\n"
                + "SELECT pg_sleep(CASE WHEN (SELECT count(*) FROM t3) = 0 THEN 120 ELSE 0 END);\nCREATE TABLE t3b (id int);\n");
        SumFile.write(dir);
        Process p = Cli.builder(cwd, env, "release", "--stop-grace", "500ms").redirectErrorStream(true)
                .redirectOutput(cwd.resolve("out.txt").toFile()).start();
        await(() -> !CliDb.strings(LAB.lab(), url, "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(CASE%'"
                + " AND state = 'active'").isEmpty());
        signal(p, "INT");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String all = Files.readString(cwd.resolve("out.txt"));
        assertThat(p.exitValue()).as(all).isEqualTo(75);
        assertThat(all).contains("interrupted: 6 pending").contains("statements 1..1 of 3 stay applied");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT status || ' ' || statements_done FROM runway_schema_history WHERE version = '3'"))
                .containsExactly("running 1");
        exec("INSERT INTO t3 VALUES (1)"); // the resumed sleep is short
        Cli.Result next = Cli.run(cwd, env, "release");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(next.out()).contains("resuming at statement 2 of 3");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                .containsExactly(String.valueOf(FILES));
    }

    @Test
    void aSignalWhileWaitingForTheLockEndsTheWaitAtOnce() throws Exception {
        try (Connection holder = LAB.lab().primary().connect(url.database()); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + MigrationLock.key(url.database(), "public", "runway_schema_history") + ")");
            Path err = cwd.resolve("err.txt");
            Process p = Cli.builder(cwd, env, "release", "--lock-wait", "10m").redirectOutput(cwd.resolve("out.txt").toFile())
                    .redirectError(err.toFile()).start();
            await(() -> {
                try {
                    return Files.readString(err).contains("waiting for the migration lock");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            signal(p, "TERM");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the lock wait ended").isTrue();
            assertThat(p.exitValue()).isEqualTo(75);
            assertThat(Files.readString(err)).contains("runway: error: interrupted before taking the migration lock; nothing was changed");
        }
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT to_regclass('runway_schema_history') IS NULL")).containsExactly("t");
    }

    private void assertInterrupted(int exit, String output) {
        int applied = historyIsExact();
        assertThat(applied).as(output).isBetween(2, FILES - 1);
        assertThat(exit).as(output).isEqualTo(75);
        assertThat(output).contains("runway: error: interrupted: " + (FILES - applied) + " pending (" + applied + " of " + FILES
                + " applied by this run)").doesNotContain(CliDb.PASSWORD);
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runway'"))
                .as("the session (and its lock) is gone").containsExactly("0");
    }

    /** Exactly the migrations with a history row have their table: returns how many. */
    private int historyIsExact() {
        List<String> rows = CliDb.strings(LAB.lab(), url, "SELECT 't' || version FROM runway_schema_history WHERE status = 'applied'"
                + " ORDER BY version::int");
        List<String> tables = CliDb.strings(LAB.lab(), url, "SELECT tablename FROM pg_tables WHERE tablename ~ '^t[0-9]+$'"
                + " ORDER BY substr(tablename, 2)::int");
        assertThat(tables).as("tables of applied migrations").isEqualTo(rows);
        return rows.size();
    }

    private void assertNextReleaseAppliesTheRest() {
        Cli.Result next = Cli.run(cwd, env, "release");
        assertThat(next.exit()).as(next.all()).isZero();
        assertThat(historyIsExact()).isEqualTo(FILES);
    }

    private int applied() {
        try {
            return Integer.parseInt(CliDb.strings(LAB.lab(), url, "SELECT CASE WHEN to_regclass('runway_schema_history') IS NULL THEN 0"
                    + " ELSE (SELECT count(*) FROM runway_schema_history) END").get(0));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void exec(String sql) throws Exception {
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within 90 s").isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    private static void signal(Process p, String name) throws Exception {
        // the JVM itself when started directly; the whole tree when started through script(1)
        for (ProcessHandle h : p.descendants().toList()) {
            if (h.info().command().orElse("").endsWith("java")) {
                new ProcessBuilder("kill", "-" + name, String.valueOf(h.pid())).start().waitFor();
                return;
            }
        }
        new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor();
    }
}
