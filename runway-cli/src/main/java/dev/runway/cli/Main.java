package dev.runway.cli;

import dev.runway.cli.lab.LabCommand;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.Runway;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runway} command. Exit codes are an API: see {@link ErrorCode} and README "Exit codes". */
@Command(name = "runway", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Release-phase toolkit for PostgreSQL: exactly-once migrations, checks, backfills, local labs.",
        subcommands = {ReleaseCommand.class, MigrateCommand.class, RollbackCommand.class, StatusCommand.class,
                DataCommand.class, NewCommand.class, HashCommand.class, VerifyCommand.class, RepairCommand.class,
                BaselineCommand.class, LabCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a migration failed", "2:usage or configuration error", "3:check/lint findings blocked the run",
                "4:integrity or state problem (checksum, runway.sum, failed row, out of order)",
                "75:temporary: lock wait timed out, lock-timeout retries exhausted, database unreachable"})
public final class Main implements Runnable {
    private static Function<String, String> env = System::getenv;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests in-process). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ReportedException) {
                return ((ReportedException) ex).exitCode();
            }
            if (ex instanceof RunwayException) {
                line.getErr().println("runway: error: " + ex.getMessage());
                return ((RunwayException) ex).code().exitCode();
            }
            line.getErr().println("runway: internal error: " + ex);
            ex.printStackTrace(line.getErr());
            return ErrorCode.MIGRATION_FAILED.exitCode();
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("runway: error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return ErrorCode.USAGE.exitCode();
        });
        return cl.execute(args);
    }

    /** The environment lookup (System.getenv). */
    static Function<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** {@code runway --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"runway " + Runway.VERSION};
        }
    }
}
