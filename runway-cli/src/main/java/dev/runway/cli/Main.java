package dev.runway.cli;

import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;

/**
 * The {@code runway} executable. Exit codes are an API: see {@link ErrorCode} and README "Exit codes".
 * Every failure ends here ({@link #report}): one line on stderr, and under {@code --format json} one
 * JSON document on stdout unless the command already printed its own.
 *
 * <p>This class loads no picocli class: {@link FastPath} runs what every deploy runs (and check), and only other
 * command lines reach {@link RootCommand}. picocli's Java 5 class files cannot be archived for class
 * data sharing, and merely linking a class that names them loads several.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // A failure on another thread (e.g. out of memory while connecting ahead) is one line, never a stack trace.
        // (Before the training too, so that the start-up archive holds the handler's class.)
        Thread.setDefaultUncaughtExceptionHandler(new OneLine());
        if (args.length >= 1 && args.length <= 2 && args[0].equals("__cds-training")) {
            System.exit(CdsTraining.run(args.length == 2 ? args[1] : null));
        }
        System.exit(run(args));
    }

    /** The process environment ({@code System::getenv} as a class, for the reason {@link OneLine} gives). */
    private static final class Environment implements java.util.function.Function<String, String> {
        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }

    /**
     * Prints a failure on another thread as one line. A class, not a lambda: the first lambda a JVM links sets up
     * method handles (about 10 ms of a cold start), and a static check links none.
     */
    private static final class OneLine implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            System.err.println("runway: error: " + oneLine(e));
        }
    }

    /** Runs the command line and returns the exit code (used by tests in-process). */
    /**
     * The settings a command reads (those its {@code --help} lists as flags), for front ends that pass
     * settings on (the Maven plugin); empty for a command that reads none or does not exist.
     */
    public static java.util.Set<dev.runway.cli.config.Setting> settingsOf(String command) {
        switch (command) {
            case "release": return ReleaseCommand.SETTINGS;
            case "migrate": return MigrateCommand.SETTINGS;
            case "status": return StatusCommand.SETTINGS;
            case "check": return CheckCommand.SETTINGS;
            case "hash": return HashCommand.SETTINGS;
            case "verify": return VerifyCommand.SETTINGS;
            default: return java.util.Set.of();
        }
    }

    public static int run(String... args) {
        Invocation inv = new Invocation(args, new Environment(), System.out, System.err);
        try {
            Integer fast = FastPath.tryRun(args, inv);
            if (fast != null) {
                return fast;
            }
            return RootCommand.execute(args, inv);
        } catch (Throwable e) { // OutOfMemoryError and friends too: one line, never a stack trace
            return report(e, inv);
        }
    }

    /**
     * Reports a failure and returns its exit code: the one place exceptions become exit codes. One line
     * on stderr; under {@code --format json} also the error document, unless one was printed already.
     */
    static int report(Throwable ex, Invocation inv) {
        Throwable cause = ex instanceof ReportedException && ex.getCause() != null ? ex.getCause() : ex;
        int code = ex instanceof ReportedException ? ((ReportedException) ex).exitCode()
                : ex instanceof RunwayException ? ((RunwayException) ex).code().exitCode()
                : ErrorCode.MIGRATION_FAILED.exitCode();
        String message = oneLine(cause);
        inv.err().println("runway: error: " + message);
        inv.err().flush();
        if (!inv.documentPrinted().get() && inv.jsonWanted()) {
            try {
                new Output(inv.out(), inv.err(), true, false, inv.documentPrinted()).printError(code, message,
                        cause instanceof RunwayException ? ((RunwayException) cause).sqlState() : null);
            } catch (RuntimeException | LinkageError | OutOfMemoryError unprintable) {
                // the stderr line above stands; nothing more can be said
            }
        }
        return code;
    }

    /** The one-line message of a failure: Runway's own, or what went wrong and where for anything else. */
    static String oneLine(Throwable e) {
        if (e instanceof RunwayException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + ", maximum heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB): give the JVM more with -Xmx, e.g. java -Xmx512m -jar runway.jar; nothing of an unfinished"
                    + " transactional migration was kept";
        }
        StackTraceElement[] at = e.getStackTrace();
        return "internal error: " + e + (at.length > 0 ? " at " + at[0] : "") + " (please report it)";
    }
}
