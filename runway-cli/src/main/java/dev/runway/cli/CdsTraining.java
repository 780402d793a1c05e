package dev.runway.cli;

import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The launcher's class-data-sharing training run ({@code runway __cds-training DIR}, not a user
 * command): releases {@code DIR} twice (apply, then the no-op every deploy pays) and shows status
 * against a throw-away lab server, so the archive holds what a real release loads, pgjdbc's
 * connection classes included. Without PostgreSQL binaries it falls back to a release against a
 * closed port (start-up classes only). Prints nothing; always exits 0.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    static int run(String dir) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(sink);
        System.setErr(sink);
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            lab.createDatabase("training");
            String url = lab.primary().url("training").toUnmaskedString();
            Main.run("release", "--url", url, "--dir", dir);
            Main.run("release", "--url", url, "--dir", dir);
            Main.run("status", "--url", url, "--dir", dir);
        } catch (RuntimeException noLab) {
            Main.run("release", "--url", "postgres://127.0.0.1:1/training", "--dir", dir);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return 0;
    }
}
