package dev.runway.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.core.RunwayException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a command writes: stdout for results, stderr for progress and errors, colour only on a
 * terminal without {@code NO_COLOR}. In JSON mode stdout carries exactly one JSON document, whose
 * first members are {@code ok} and {@code exitCode} ({@link #printJson(ObjectNode, int)}); printing a
 * second one is a bug and throws.
 */
public final class Output {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean color;
    private final AtomicBoolean documentPrinted;

    public Output(PrintStream out, PrintStream err, boolean json, boolean color) {
        this(out, err, json, color, new AtomicBoolean());
    }

    /** @param documentPrinted set once the run's JSON document is printed (shared with whoever reports later failures) */
    public Output(PrintStream out, PrintStream err, boolean json, boolean color, AtomicBoolean documentPrinted) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.color = color;
        this.documentPrinted = documentPrinted;
    }

    /** Colour when stdout is a terminal and NO_COLOR is unset (https://no-color.org). */
    public static boolean colorWanted() {
        return System.console() != null && !embedded() && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * True when the CLI runs inside another program that captures its output line by line (the Maven
     * plugin sets {@code runway.embedded}): no colour, no progress line, whatever the terminal.
     */
    public static boolean embedded() {
        return Boolean.getBoolean("runway.embedded");
    }

    public boolean json() {
        return json;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public void line(String s) {
        out.println(s);
    }

    /**
     * Prints the run's one JSON document: {@code {"ok": exitCode == 0, "exitCode": exitCode, ...doc}}.
     *
     * @throws IllegalStateException when this run already printed its document
     */
    public void printJson(ObjectNode doc, int exitCode) {
        ObjectNode top = mapper().createObjectNode().put("ok", exitCode == 0).put("exitCode", exitCode);
        top.setAll(doc);
        printDocument(top);
    }

    /** The document of a failure: {@code {"ok": false, "exitCode", "error": {"message", "exit_code", "sqlstate"}}}. */
    public void printError(int exitCode, String message, String sqlState) {
        ObjectNode doc = mapper().createObjectNode();
        errorTo(doc, exitCode, message, sqlState);
        printJson(doc, exitCode);
    }

    /** Adds the {@code error} member of a failure to {@code doc}. */
    public static void errorTo(ObjectNode doc, int exitCode, String message, String sqlState) {
        doc.putObject("error").put("message", message).put("exit_code", exitCode).put("sqlstate", sqlState);
    }

    /** Adds the {@code error} member for {@code e}. */
    public static void errorTo(ObjectNode doc, RunwayException e) {
        errorTo(doc, e.code().exitCode(), e.getMessage(), e.sqlState());
    }

    /** Prints a document of another schema as it is (SARIF); still the run's only one. */
    public void printDocument(Object tree) {
        if (!documentPrinted.compareAndSet(false, true)) {
            throw new IllegalStateException("a second JSON document in one run");
        }
        try {
            // Streamed to stdout, UTF-8 as JSON is: a dry run's plan holds every statement of the release, and one
            // String of it (plus the writer's buffer of chars) would take several times the statements' size.
            mapper().writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, tree);
            out.println();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The JSON mapper, created on first use: text output never loads Jackson (start-up time of every deploy). */
    public static ObjectMapper mapper() {
        return Json.MAPPER;
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    public String green(String s) {
        return color ? "\u001b[32m" + s + "\u001b[0m" : s;
    }

    public String red(String s) {
        return color ? "\u001b[31m" + s + "\u001b[0m" : s;
    }

    public String yellow(String s) {
        return color ? "\u001b[33m" + s + "\u001b[0m" : s;
    }

    public String dim(String s) {
        return color ? "\u001b[2m" + s + "\u001b[0m" : s;
    }

    /** {@code 812µs}, {@code 3.4ms}, {@code 1.52s}, {@code 2m3s} (rounded half up; printed per statement, so no Formatter). */
    public static String took(Duration d) {
        long n = d.toNanos();
        if (n < 1_000_000) {
            return (n / 1000) + "µs";
        }
        if (n < 999_950_000) {
            return tenths((n + 50_000) / 100_000) + "ms";
        }
        if (n < 60_000_000_000L) {
            long hundredths = (n + 5_000_000) / 10_000_000;
            long frac = hundredths % 100;
            return hundredths / 100 + (frac < 10 ? ".0" : ".") + frac + "s";
        }
        return d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }

    private static String tenths(long tenths) {
        return tenths / 10 + "." + tenths % 10;
    }
}
