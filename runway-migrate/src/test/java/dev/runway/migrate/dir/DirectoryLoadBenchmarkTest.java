package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints how long loading (and verifying) 1,000 migration files takes; no timed assertion: wall-clock limits fail at random on a busy or shared machine. */
class DirectoryLoadBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void thousandFiles() {
        for (int i = 0; i < 1000; i++) {
            StringBuilder b = new StringBuilder("-- runway:lock-timeout 3s\n-- runway:up\n");
            for (int k = 0; k < 4; k++) {
                b.append("ALTER TABLE orders_").append(i).append(" ADD COLUMN c").append(k).append(" text DEFAULT 'x;y';\n")
                        .append("UPDATE orders_").append(i).append(" SET c").append(k).append(" = E'it\\'s'\n")
                        .append("  WHERE id > 10;\n")
                        .append("DO $$ BEGIN\n  PERFORM 1;\nEND $$;\n");
            }
            b.append("-- runway:down\nALTER TABLE orders_").append(i).append(" DROP COLUMN c0;\n");
            write(dir, String.format("%014d_change_%d.sql", 20250301000000L + i, i), b.toString());
        }
        SumFile.write(dir);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            MigrationDirectory d = MigrationDirectory.load(dir, MigrationKind.SCHEMA);
            long t1 = System.nanoTime();
            SumFile.verify(dir);
            long t2 = System.nanoTime();
            assertThat(d.migrations()).hasSize(1000);
            System.out.printf("MigrationDirectory.load: 1000 files in %d ms, SumFile.verify in %d ms (round %d)%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, round);
        }
    }
}
