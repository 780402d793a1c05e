package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 {@code runway release} processes started at once over 200 pending migrations: every migration
 * applied exactly once and all 8 exit 0; repeated 10 times (100 with -Plong).
 */
class ConcurrentReleaseIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final int PROCESSES = 8;
    static final int MIGRATIONS = 200;

    @TempDir
    Path tmp;

    @Test
    void eightConcurrentReleasesApplyEveryMigrationExactlyOnce() throws Exception {
        Path dir = tmp.resolve("migrations");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("00000_log.sql"), "-- runway:up\nCREATE TABLE applied_log (version int, pid int);\n");
        for (int i = 1; i <= MIGRATIONS; i++) {
            String v = String.format("%05d", i);
            String body = i % 10 == 0
                    ? "CREATE INDEX CONCURRENTLY t" + (i - 1) + "_x ON t" + (i - 1) + " (x);"
                    : "CREATE TABLE t" + i + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int);\n"
                    + "INSERT INTO applied_log VALUES (" + i + ", pg_backend_pid());";
            if (i % 10 == 0) {
                // CONCURRENTLY-only files run outside a transaction; log from a separate file would change the count,
                // so these are checked through the index itself.
                Files.writeString(dir.resolve(v + "_idx.sql"), "-- runway:up\n" + body + "\n");
            } else {
                Files.writeString(dir.resolve(v + "_m.sql"), "-- runway:nolint RW122 the test's own bookkeeping\n-- runway:up\n"
                        + body + "\n");
            }
        }
        SumFile.write(dir);
        int reps = 10 * Integer.getInteger("runway.it.scale", 1);
        for (int rep = 1; rep <= reps; rep++) {
            DatabaseUrl url = CliDb.create(LAB.lab(), "concurrent");
            List<Process> ps = new ArrayList<>();
            List<File> outs = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                File out = tmp.resolve("out-" + rep + "-" + p).toFile();
                outs.add(out);
                ps.add(Cli.builder(tmp, Map.of("DATABASE_URL", url.toUnmaskedString()), "release", "--dir", dir.toString(),
                        "--lock-wait", "5m").redirectErrorStream(true).redirectOutput(out).start());
            }
            for (int p = 0; p < PROCESSES; p++) {
                assertThat(ps.get(p).waitFor(5, TimeUnit.MINUTES)).isTrue();
                String text = Files.readString(outs.get(p).toPath());
                assertThat(ps.get(p).exitValue()).as("rep %d process %d:\n%s", rep, p, text).isZero();
                assertThat(text).doesNotContain(CliDb.PASSWORD);
            }
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) || '/' || count(DISTINCT version) FROM applied_log"))
                    .containsExactly((MIGRATIONS - MIGRATIONS / 10) + "/" + (MIGRATIONS - MIGRATIONS / 10));
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                    .containsExactly(String.valueOf(MIGRATIONS + 1));
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text LIKE 't%_x'"))
                    .containsExactly(String.valueOf(MIGRATIONS / 10));
        }
    }
}
