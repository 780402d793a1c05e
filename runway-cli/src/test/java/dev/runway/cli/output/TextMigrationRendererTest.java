package dev.runway.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the text renderer's lines reach stdout without a terminal (issue #15): a migration's header at once, a
 * transactional migration's other lines in one write once it has committed or failed, a non-transactional one's
 * line by line; the text is the same as when every line was written on its own.
 */
class TextMigrationRendererTest {
    @TempDir
    Path dir;

    /** What the process's stdout has written (System.out's shape: a 128-byte buffer, flushed per line). */
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private int writes;
    private final PrintStream stdout = new PrintStream(new BufferedOutputStream(new OutputStream() {
        @Override
        public void write(int b) {
            written.write(b);
            writes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written.write(b, off, len);
            writes++;
        }
    }, 128), true, StandardCharsets.UTF_8);

    private String shown() {
        return written.toString(StandardCharsets.UTF_8);
    }

    private List<Migration> migrations() throws Exception {
        Files.writeString(dir.resolve("1_create.sql"), "-- runway:up\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        Files.writeString(dir.resolve("2_index.sql"), "-- runway:transaction none\n-- runway:up\n"
                + "CREATE INDEX CONCURRENTLY a_i ON a (id);\nCREATE INDEX CONCURRENTLY b_i ON b (id);\n");
        Files.writeString(dir.resolve("3_more.sql"), "-- runway:up\nALTER TABLE a ADD COLUMN c int;\n");
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
    }

    @Test
    void aTransactionalMigrationIsOneWriteAfterItsHeaderAndTheTextIsUnchanged() throws Exception {
        List<Migration> ms = migrations();
        Migration create = ms.get(0);
        Migration index = ms.get(1);
        Migration more = ms.get(2);
        Duration ms1 = Duration.ofMillis(1);
        TextMigrationRenderer r = new TextMigrationRenderer(new Output(stdout, stdout, false, false), null);
        r.planned(Direction.UP, ms);

        r.migrationStarted(create, Direction.UP, 1, 0);
        assertThat(shown()).endsWith("  -- migrating version 1 (create)\n"); // what runs is on screen at once
        int before = writes;
        String header = shown();
        r.statementDone(create, create.up().get(0), 0, ms1);
        r.statementDone(create, create.up().get(1), 1, ms1);
        r.migrationDone(create, Direction.UP, ms1);
        assertThat(shown()).isEqualTo(header); // not committed: nothing of it shown yet

        r.migrationStarted(index, Direction.UP, 1, 0);
        assertThat(writes - before).as("one write for the block and the next header").isEqualTo(1);
        assertThat(shown()).endsWith("    -> CREATE TABLE a (id int); 1.0ms\n    -> CREATE TABLE b (id int); 1.0ms\n"
                + "  -- ok (1.0ms)\n\n  -- migrating version 2 (index)\n");

        // non-transactional: each statement is committed on its own, so each line is shown when it is done
        r.statementDone(index, index.up().get(0), 0, ms1);
        assertThat(shown()).endsWith("  -- migrating version 2 (index)\n    -> CREATE INDEX CONCURRENTLY a_i ON a (id); 1.0ms\n");
        r.statementDone(index, index.up().get(1), 1, ms1);
        assertThat(shown()).endsWith("    -> CREATE INDEX CONCURRENTLY b_i ON b (id); 1.0ms\n");
        r.migrationDone(index, Direction.UP, ms1);

        r.migrationStarted(more, Direction.UP, 1, 0);
        r.statementDone(more, more.up().get(0), 0, ms1);
        r.migrationFailed(more, null, "boom");
        assertThat(shown()).as("a failure is shown at once").endsWith("  -- migrating version 3 (more)\n"
                + "    -> ALTER TABLE a ADD COLUMN c int; 1.0ms\n  -- failed: boom\n\n");
        r.close();

        assertThat(shown()).isEqualTo(""
                + "Migrating to version 3 (3 migrations in total):\n"
                + "\n"
                + "  -- migrating version 1 (create)\n"
                + "    -> CREATE TABLE a (id int); 1.0ms\n"
                + "    -> CREATE TABLE b (id int); 1.0ms\n"
                + "  -- ok (1.0ms)\n"
                + "\n"
                + "  -- migrating version 2 (index)\n"
                + "    -> CREATE INDEX CONCURRENTLY a_i ON a (id); 1.0ms\n"
                + "    -> CREATE INDEX CONCURRENTLY b_i ON b (id); 1.0ms\n"
                + "  -- ok (1.0ms)\n"
                + "\n"
                + "  -- migrating version 3 (more)\n"
                + "    -> ALTER TABLE a ADD COLUMN c int; 1.0ms\n"
                + "  -- failed: boom\n"
                + "\n");
    }

    @Test
    void theSummaryAndCloseWriteWhatTheLastMigrationLeft() throws Exception {
        Migration create = migrations().get(0);
        TextMigrationRenderer r = new TextMigrationRenderer(new Output(stdout, stdout, false, false), "0");
        r.migrationStarted(create, Direction.UP, 1, 0);
        r.statementDone(create, create.up().get(0), 0, Duration.ofMillis(2));
        r.statementDone(create, create.up().get(1), 1, Duration.ofMillis(2));
        r.migrationDone(create, Direction.UP, Duration.ofMillis(5));
        r.summary(new MigrateResult(Direction.UP, List.of(create), 2, Duration.ZERO, Duration.ofMillis(9), false, "1"));
        assertThat(shown()).isEqualTo(""
                + "  -- migrating version 1 (create)\n"
                + "    -> CREATE TABLE a (id int); 2.0ms\n"
                + "    -> CREATE TABLE b (id int); 2.0ms\n"
                + "  -- ok (5.0ms)\n"
                + "\n"
                + "  -------------------------\n"
                + "  -- 9.0ms\n"
                + "  -- 1 migration\n"
                + "  -- 2 sql statements\n");

        written.reset();
        TextMigrationRenderer interrupted = new TextMigrationRenderer(new Output(stdout, stdout, false, false), null);
        interrupted.migrationStarted(create, Direction.UP, 1, 0);
        interrupted.statementDone(create, create.up().get(0), 0, Duration.ofMillis(2));
        interrupted.statementDone(create, create.up().get(1), 1, Duration.ofMillis(2));
        interrupted.migrationDone(create, Direction.UP, Duration.ofMillis(5));
        interrupted.close(); // how every run ends (MigrationRun's try-with-resources), also when it throws
        assertThat(shown()).endsWith("  -- ok (5.0ms)\n\n");
    }

    @Test
    void onlyTheProgressLineAsksForEachStatementAsItEnds() {
        // with the progress line (a terminal) a transactional migration's statements go one by one, so the line can
        // name the one running; without it, they may go as one message and come together at the end
        assertThat(new TextMigrationRenderer(new Output(stdout, stdout, false, false), "0", true).liveStatements()).isTrue();
        assertThat(new TextMigrationRenderer(new Output(stdout, stdout, false, false), "0", false).liveStatements()).isFalse();
        assertThat(new JsonMigrationRenderer().liveStatements()).isFalse();
    }
}
