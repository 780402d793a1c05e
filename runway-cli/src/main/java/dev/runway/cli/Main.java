package dev.runway.cli;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.util.function.Function;

/**
 * The {@code runway} executable. Exit codes are an API: see {@link ErrorCode} and README "Exit codes".
 *
 * <p>This class loads no picocli class: {@link FastPath} runs what every deploy runs, and only other
 * command lines reach {@link RootCommand}. picocli's Java 5 class files cannot be archived for class
 * data sharing, and merely linking a class that names them loads several.
 */
public final class Main {
    private static Function<String, String> env = System::getenv;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length >= 1 && args.length <= 2 && args[0].equals("__cds-training")) {
            System.exit(CdsTraining.run(args.length == 2 ? args[1] : null));
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests in-process). */
    public static int run(String... args) {
        try {
            Integer fast = FastPath.tryRun(args);
            if (fast != null) {
                return fast;
            }
        } catch (Exception e) {
            return report(e, new java.io.PrintWriter(System.err, true));
        }
        return RootCommand.execute(args);
    }

    /** Prints a failure as one line and returns its exit code (the one place exceptions become exit codes). */
    static int report(Throwable ex, java.io.PrintWriter err) {
        if (ex instanceof ReportedException) {
            return ((ReportedException) ex).exitCode();
        }
        if (ex instanceof RunwayException) {
            err.println("runway: error: " + ex.getMessage());
            return ((RunwayException) ex).code().exitCode();
        }
        err.println("runway: internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ErrorCode.MIGRATION_FAILED.exitCode();
    }

    /** The environment lookup (System.getenv). */
    static Function<String, String> env() {
        return env;
    }
}
