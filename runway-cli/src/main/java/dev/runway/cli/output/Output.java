package dev.runway.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a command writes: stdout for results, stderr for progress and errors, colour only on a
 * terminal without {@code NO_COLOR}. In JSON mode stdout carries exactly one JSON document.
 */
public final class Output {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean color;

    public Output(PrintStream out, PrintStream err, boolean json, boolean color) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.color = color;
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

    public void printJson(Object tree) {
        try {
            out.println(mapper().writeValueAsString(tree));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
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

    /** {@code 812µs}, {@code 3.4ms}, {@code 1.52s}, {@code 2m3s}. */
    public static String took(Duration d) {
        long n = d.toNanos();
        if (n < 1_000_000) {
            return (n / 1000) + "µs";
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1fms", n / 1e6);
        }
        if (n < 60_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fs", n / 1e9);
        }
        return d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }
}
