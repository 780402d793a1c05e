package dev.runway.cli;

import dev.runway.cli.demo.Demo;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The launcher's class-data-sharing training run ({@code runway __cds-training [DIR]}, not a user
 * command): releases {@code DIR} twice (apply, then the no-op every deploy pays) and shows status
 * against a throw-away lab server, so the archive holds what a real release loads, pgjdbc's
 * connection classes included, after a static check of {@code DIR}. Without PostgreSQL binaries it
 * falls back to a release against a closed port (start-up classes only). Prints nothing; always exits 0.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * A migration (after one that creates the table) with nolint comments in its header and before a statement, the
     * findings they suppress, and a column default.
     */
    private static final String LINT_TRAINING = String.join("\n",
            "-- runway:nolint RW101 training: the table is empty",
            "-- runway:up",
            "ALTER TABLE training ADD COLUMN at timestamptz NOT NULL DEFAULT now();",
            "CREATE INDEX training_n ON training (n);",
            "-- runway:nolint RW122 training: three rows",
            "UPDATE training SET n = n + 1 WHERE id < 4;",
            "-- runway:down",
            "DROP INDEX training_n;",
            "ALTER TABLE training DROP COLUMN at;",
            "");

    /** @param dir the migrations to release; null = the example migrations shipped in the jar (the bundle's launcher) */
    static int run(String dir) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        Path examples = null;
        try {
            if (dir == null) {
                examples = Files.createTempDirectory("runway-cds-");
                Demo.writeExamples(examples);
                dir = examples.toString();
            }
            train(dir);
        } catch (IOException e) {
            // no examples, no training: the archive then holds start-up classes only
        } finally {
            try {
                if (examples != null) {
                    Demo.deleteTree(examples);
                }
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
            System.setOut(out);
            System.setErr(err);
        }
        return 0;
    }

    private static void train(String dir) throws IOException {
        // A static check (a CI step on every push; no database): the lint's classes and the lambdas they link.
        Main.run("check", "--static", "--dir", dir);
        // And one of a file with what the examples lack (nolint comments, findings they suppress, a default): without
        // it, a static check of real files loads those classes from the jar (~25 ms of CPU on 1,000 files).
        Path lint = Files.createTempDirectory("runway-cds-lint-");
        try {
            Files.writeString(lint.resolve("1_training.sql"), "-- runway:up\nCREATE TABLE training (id bigint GENERATED ALWAYS AS"
                    + " IDENTITY PRIMARY KEY, n integer NOT NULL DEFAULT 0);\n");
            Files.writeString(lint.resolve("2_training.sql"), LINT_TRAINING);
            Files.writeString(lint.resolve("3_training.sql"), "-- runway:up\n-- runway:nolint RW101 training: the table is empty\n"
                    + "CREATE INDEX training_at ON training (at);\n"); // a nolint before a statement, no down section

            Main.run("check", "--static", "--dir", lint.toString());
        } finally {
            Demo.deleteTree(lint);
        }
        if (!serverInstalled()) {
            // Never download server binaries (the lab's zonky fallback) just to train an archive.
            Main.run("release", "--url", "postgres://127.0.0.1:1/training", "--dir", dir);
            return;
        }
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            lab.createDatabase("training");
            String url = lab.primary().url("training").toUnmaskedString();
            Main.run("release", "--url", url, "--dir", dir);
            Main.run("release", "--url", url, "--dir", dir);
            Main.run("status", "--url", url, "--dir", dir);
        } catch (RuntimeException noLab) {
            Main.run("release", "--url", "postgres://127.0.0.1:1/training", "--dir", dir);
        }
    }

    /** PostgreSQL server binaries already on this machine: RUNWAY_PG_BIN, Debian's layout, or the lab's unpacked cache. */
    private static boolean serverInstalled() {
        String bin = System.getenv("RUNWAY_PG_BIN");
        if (bin != null && Files.isExecutable(Path.of(bin, "postgres"))) {
            return true;
        }
        try (Stream<Path> majors = Files.list(Path.of("/usr/lib/postgresql"))) {
            if (majors.anyMatch(m -> Files.isExecutable(m.resolve("bin/postgres")))) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // not Debian's layout
        }
        return Files.isDirectory(LabConfig.defaultCacheDir().resolve("pg"));
    }
}
