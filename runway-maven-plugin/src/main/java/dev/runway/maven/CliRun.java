package dev.runway.maven;

import dev.runway.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.maven.plugin.logging.Log;

/**
 * One run of the CLI's {@link Main#run} in this JVM: stdout lines go to the build log as info, stderr
 * lines as errors, with no colour or progress line ({@code runway.embedded}).
 *
 * @param exitCode  the CLI's exit code (README "Exit codes")
 * @param errorLine the last line the CLI wrote to stderr, without its {@code runway: error: } prefix
 */
record CliRun(int exitCode, String errorLine) {
    static CliRun run(List<String> args, Log log) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String embedded = System.getProperty("runway.embedded");
        Lines stdout = new Lines(log::info);
        String[] lastError = {""};
        Lines stderr = new Lines(line -> {
            lastError[0] = line;
            log.error(line);
        });
        int exit;
        try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(stderr, true, StandardCharsets.UTF_8)) {
            System.setProperty("runway.embedded", "true");
            System.setOut(o);
            System.setErr(e);
            exit = Main.run(args.toArray(String[]::new));
            o.flush();
            e.flush();
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (embedded == null) {
                System.clearProperty("runway.embedded");
            } else {
                System.setProperty("runway.embedded", embedded);
            }
            stdout.flushLine();
            stderr.flushLine();
        }
        return new CliRun(exit, lastError[0].replaceFirst("^runway: (error: )?", ""));
    }

    /** An output stream that hands each complete UTF-8 line to a consumer. */
    private static final class Lines extends OutputStream {
        private final Consumer<String> sink;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (b != '\r') {
                line.write(b);
            }
        }

        void flushLine() {
            if (line.size() > 0) {
                sink.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }
    }
}
