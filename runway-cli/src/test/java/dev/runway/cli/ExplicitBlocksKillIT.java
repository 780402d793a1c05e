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
 * kill -9 of a release in the middle of files that manage their own transactions (several BEGIN ... COMMIT
 * blocks, statements between them, an index build outside any block), then the next run: it resumes after
 * the last completed unit, and no unit ran twice. Each unit writes one audit row; a unit that ran twice would
 * leave two. 6 trials (60 with -Plong).
 */
class ExplicitBlocksKillIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    static String audit(String tag) {
        return "INSERT INTO audit VALUES ('" + tag + "');";
    }

    static Path migrations(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("001_audit.up.sql"), KillIT.NOLINT + "CREATE TABLE audit (tag text);\n"
                + "CREATE TABLE big (id int, x int);\nINSERT INTO big SELECT g, g % 100 FROM generate_series(1, 100000) g;\n");
        for (int f = 2; f <= 5; f++) {
            String v = String.format("%03d", f);
            // golang-migrate style: the file as written, with its own blocks
            Files.writeString(dir.resolve(v + "_blocks.up.sql"), KillIT.NOLINT
                    + "BEGIN;\n" + audit(v + ".b1") + "\nSELECT pg_sleep(0.15);\nCREATE TABLE t" + v + " (id int);\nCOMMIT;\n"
                    + audit(v + ".s2") + "\n"
                    + "BEGIN;\n" + audit(v + ".b3") + "\nSELECT pg_sleep(0.15);\nINSERT INTO t" + v + " VALUES (1);\nCOMMIT;\n"
                    + "CREATE INDEX CONCURRENTLY IF NOT EXISTS big_x_" + v + " ON big (x, id);\n"
                    + "BEGIN;\n" + audit(v + ".b5") + "\nSELECT pg_sleep(0.15);\nCOMMIT;\n");
        }
        SumFile.write(dir);
        return dir;
    }

    @Test
    void killNineBetweenAndInsideBlocksThenTheNextRunResumesWithNoUnitAppliedTwice() throws Exception {
        Path dir = migrations(tmp.resolve("migrations"));
        Random random = new Random(7);
        int trials = 6 * Integer.getInteger("runway.it.scale", 1);
        int killedMidWay = 0;
        int resumed = 0;
        for (int t = 1; t <= trials; t++) {
            DatabaseUrl url = CliDb.create(LAB.lab(), "blocks");
            Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
            File out = tmp.resolve("kill-" + t + ".txt").toFile();
            Process p = Cli.builder(tmp, env, "release", "--dir", dir.toString()).redirectErrorStream(true).redirectOutput(out).start();
            Thread.sleep(700 + random.nextInt(2300));
            if (p.isAlive()) {
                killedMidWay++;
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);

            Cli.Result next = Cli.run(tmp, env, "release", "--dir", dir.toString(), "--lock-wait", "60s");
            assertThat(next.exit()).as("trial %d:\n%s", t, next.all()).isZero();
            if (next.out().contains("resuming at statement")) {
                resumed++;
            }
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT tag FROM audit GROUP BY tag HAVING count(*) > 1")).as("trial %d: units"
                    + " applied twice", t).isEmpty();
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM audit")).as("trial %d", t).containsExactly("16");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                    .containsExactly("5");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).containsExactly("0");
        }
        System.out.printf("ExplicitBlocksKillIT: %d trials, %d killed mid-run, %d resumed a partly applied file; 0 units twice%n",
                trials, killedMidWay, resumed);
        assertThat(killedMidWay).as("trials where the kill landed mid-run").isGreaterThanOrEqualTo(trials / 2);
        assertThat(resumed).as("trials that resumed inside a file").isGreaterThanOrEqualTo(1);
    }
}
