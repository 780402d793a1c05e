package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import dev.runway.migrate.dir.SumFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover in the middle of {@code runway release}: the primary is killed (SIGKILL) and its replica
 * promoted while the release runs, through a service address that follows the primary (the lab's
 * {@link Lab#primaryService()}, like Fly's {@code <db>.flycast:5432}). The release exits 75 and does not
 * report success; running it again through the same address, now the new primary, completes every
 * migration exactly once: the non-transactional one that was mid-way resumes after its last recorded
 * statement. One trial with the kill inside the non-transactional migration; with -Plong also 10 with
 * the kill at a random moment; each on a lab of its own.
 */
class FailoverReleaseIT {
    @TempDir
    static Path tmp;
    static Path dir;
    /** Tags the audit table must hold exactly once each when the release is complete. */
    static final int TAGS = 10;

    static String log(String tag) {
        return "INSERT INTO audit VALUES ('" + tag + "');";
    }

    @BeforeAll
    static void migrations() throws Exception {
        dir = Files.createDirectories(tmp.resolve("migrations"));
        String nolint = "-- runway:nolint RW122 audit rows are the test's own bookkeeping\n";
        Files.writeString(dir.resolve("001_audit.sql"), "-- runway:up\nCREATE TABLE audit (tag text);\n"
                + "CREATE TABLE big (id int, x int);\n");
        for (int i = 2; i <= 10; i++) {
            String v = String.format("%03d", i);
            if (i == 5) {
                // non-transactional, four statements: the kill lands in the sleep of the second one
                Files.writeString(dir.resolve(v + "_nontx.sql"), "-- runway:transaction none\n" + nolint + "-- runway:up\n"
                        + log("005.1") + "\nSELECT pg_sleep(2);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_x ON big (x);\n"
                        + log("005.2") + "\n");
            } else {
                Files.writeString(dir.resolve(v + "_tx.sql"), nolint + "-- runway:up\nCREATE TABLE t" + v + " (id int);\n" + log(v)
                        + "\nSELECT pg_sleep(0.2);\n");
            }
        }
        SumFile.write(dir);
    }

    /** A lab with a replica, the app role, the database, and the URL through the primary's service address. */
    static DatabaseUrl prepare(Lab lab) {
        DatabaseUrl direct = CliDb.create(lab, "failover");
        lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
        return direct.withHostPort("127.0.0.1", lab.primaryService().port());
    }

    static List<String> q(Lab lab, DatabaseUrl url, String sql) {
        return CliDb.strings(lab, url, sql);
    }

    static void waitForTag(Lab lab, DatabaseUrl url, String tag) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!q(lab, url, "SELECT 1 FROM audit WHERE tag = '" + tag + "'").isEmpty()) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the table does not exist yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the release never logged " + tag);
    }

    /** Runs one trial; returns what the second run printed. */
    static String trial(String name, long killAfterMs) throws Exception {
        try (Lab lab = Lab.start(LabConfig.builder().replicas(1).build())) {
            DatabaseUrl url = prepare(lab);
            Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
            File out = tmp.resolve(name + ".txt").toFile();
            Process p = Cli.builder(tmp, env, "release", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(out).start();
            if (killAfterMs < 0) {
                waitForTag(lab, url, "005.1");
                // what the primary has done so far reaches the replica, as when a platform promotes a caught-up standby
                lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
            } else {
                Thread.sleep(killAfterMs);
            }
            Node old = lab.primary();
            Node promoted = lab.failover();
            assertThat(promoted).isNotSameAs(old);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String first = Files.readString(out.toPath());
            boolean finishedBeforeKill = p.exitValue() == 0;
            if (!finishedBeforeKill) {
                assertThat(p.exitValue()).as(name + ":\n" + first).isEqualTo(75);
                assertThat(first).as(name).doesNotContain(" migrations\n  -- ").contains("run again");
            }
            assertThat(first).doesNotContain(CliDb.PASSWORD);

            Cli.Result again = Cli.run(tmp, env, "release", "--dir", dir.toString(), "--lock-wait", "60s");
            assertThat(again.exit()).as(name + " second run:\n" + again.all()).isZero();
            assertThat(again.all()).doesNotContain(CliDb.PASSWORD);
            assertThat(q(lab, url, "SELECT count(*) - count(DISTINCT tag) FROM audit")).as(name + " duplicates").containsExactly("0");
            assertThat(q(lab, url, "SELECT count(DISTINCT tag) FROM audit")).as(name).containsExactly(String.valueOf(TAGS));
            assertThat(q(lab, url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'")).containsExactly("10");
            assertThat(q(lab, url, "SELECT count(*) FROM pg_index WHERE indexrelid::regclass::text = 'big_x' AND indisvalid"))
                    .containsExactly("1");
            assertThat(q(lab, url, "SELECT pg_is_in_recovery()")).as("through the service: the new primary").containsExactly("f");
            System.out.printf("FailoverReleaseIT %s: first run exit %d (%s), second run exit 0; %d audit tags, each exactly once;"
                    + " 10 migrations applied%s%n", name, p.exitValue(), finishedBeforeKill ? "finished before the kill" : "killed mid-run",
                    TAGS, again.out().contains("resuming at statement") ? "; the non-transactional one resumed: "
                    + again.out().lines().filter(l -> l.contains("resuming")).findFirst().orElse("") : "");
            return again.out();
        }
    }

    @Test
    void killedInsideTheNonTransactionalMigrationTheNextRunResumesItAndAppliesEverythingOnce() throws Exception {
        String second = trial("mid-non-transactional", -1);
        assertThat(second).contains("resuming at statement 2 of 4");
    }

    @Test
    void killedAtARandomMomentTheNextRunCompletesExactlyOnce() throws Exception {
        Random random = new Random(11);
        int trials = Integer.getInteger("runway.it.scale", 1) == 1 ? 0 : 10;
        for (int t = 1; t <= trials; t++) {
            trial("random-" + t, 300 + random.nextInt(4000));
        }
    }
}
