package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the release process at random points (transactional and non-transactional migrations,
 * CREATE INDEX CONCURRENTLY among them), then the next run: it completes, nothing is applied twice,
 * no orphaned session was still migrating while it ran, and a half-done non-transactional migration
 * is reported with the command that recovers it (or resumed, when no error was recorded).
 * 30 trials (300 with -Plong).
 */
class KillIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    /**
     * Every statement that "does work" logs itself with the number of OTHER active runway sessions at
     * that moment: a non-zero count would mean two executions overlapped (an orphan still migrating).
     */
    static String log(String tag) {
        return "INSERT INTO audit SELECT '" + tag + "', pg_backend_pid(), (SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = 'runway' AND state = 'active' AND pid <> pg_backend_pid());";
    }

    /** The audit INSERTs are data changes in schema migrations: release's lint gate needs them acknowledged. */
    static final String NOLINT = "-- runway:nolint RW122 audit rows are the test's own bookkeeping\n";

    static Path migrations(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("001_audit.sql"), NOLINT + "-- runway:up\nCREATE TABLE audit (tag text, pid int, others bigint);\n"
                + "CREATE TABLE big (id int, x int);\nINSERT INTO big SELECT g, g % 100 FROM generate_series(1, 200000) g;\n");
        for (int i = 2; i <= 13; i++) {
            String v = String.format("%03d", i);
            if (i % 3 == 0) {
                // non-transactional: statements with sleeps, and an index build that takes a while
                Files.writeString(dir.resolve(v + "_nontx.sql"), "-- runway:transaction none\n" + NOLINT + "-- runway:up\n" + log(v + ".1")
                        + "\nSELECT pg_sleep(0.15);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS big_x_" + v + " ON big (x, id);\n"
                        + log(v + ".2") + "\n");
            } else {
                Files.writeString(dir.resolve(v + "_tx.sql"), NOLINT + "-- runway:up\nCREATE TABLE t" + v + " (id int);\n" + log(v)
                        + "\nSELECT pg_sleep(0.1);\n");
            }
        }
        SumFile.write(dir);
        return dir;
    }

    @Test
    void killNineAtRandomPointsThenTheNextRunCompletesExactlyOnce() throws Exception {
        Path dir = migrations(tmp.resolve("migrations"));
        Random random = new Random(42);
        int trials = 30 * Integer.getInteger("runway.it.scale", 1);
        int killedMidWay = 0;
        int repaired = 0;
        int resumed = 0;
        for (int t = 1; t <= trials; t++) {
            DatabaseUrl url = CliDb.create(LAB.lab(), "kill");
            Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
            File out = tmp.resolve("kill-" + t + ".txt").toFile();
            Process p = Cli.builder(tmp, env, "release", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(out).start();
            Thread.sleep(400 + random.nextInt(2600));
            if (p.isAlive()) {
                killedMidWay++;
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);

            Cli.Result next = Cli.run(tmp, env, "release", "--dir", dir.toString(), "--lock-wait", "60s");
            if (next.exit() == 4) {
                // a non-transactional statement failed because of the kill: must name the recovery command
                assertThat(next.err()).contains("runway repair");
                assertThat(Cli.run(tmp, env, "repair", "--dir", dir.toString()).exit()).isZero();
                repaired++;
                next = Cli.run(tmp, env, "release", "--dir", dir.toString(), "--lock-wait", "60s");
            }
            assertThat(next.exit()).as("trial %d:\n%s", t, next.all()).isZero();
            if (next.out().contains("resuming at statement")) {
                resumed++;
            }
            assertThat(next.all()).doesNotContain(CliDb.PASSWORD);
            // exactly once: one audit row per tag, 12 migrations + the first one applied
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) - count(DISTINCT tag) FROM audit")).as("trial %d duplicates", t)
                    .containsExactly("0");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(DISTINCT tag) FROM audit")).containsExactly("16");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM audit WHERE others > 0")).as("trial %d overlap", t)
                    .containsExactly("0");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                    .containsExactly("13");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");
        }
        System.out.printf("KillIT: %d trials, %d killed mid-run, %d resumed a partial non-transactional migration,"
                + " %d needed 'runway repair'; 0 duplicates, 0 overlaps%n", trials, killedMidWay, resumed, repaired);
        assertThat(killedMidWay).as("trials where the kill landed mid-run").isGreaterThanOrEqualTo(trials / 2);
    }
}
