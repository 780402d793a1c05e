package dev.runway.cli;

import dev.runway.cli.lab.LabCommand;
import dev.runway.core.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli {@code runway} command: every command line {@link FastPath} does not take. */
@Command(name = "runway", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = "Release-phase toolkit for PostgreSQL: exactly-once migrations, checks, backfills, local labs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a migration failed", "2:usage or configuration error", "3:check/lint findings blocked the run",
                "4:integrity or state problem (checksum, runway.sum, failed row, out of order)",
                "75:temporary: lock wait timed out, lock-timeout retries exhausted, database unreachable"})
final class RootCommand implements Runnable {
    /** Every subcommand, by name; built on demand. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("release", ReleaseCommand::new);
        COMMANDS.put("migrate", MigrateCommand::new);
        COMMANDS.put("rollback", RollbackCommand::new);
        COMMANDS.put("status", StatusCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("data", DataCommand::new);
        COMMANDS.put("new", NewCommand::new);
        COMMANDS.put("hash", HashCommand::new);
        COMMANDS.put("verify", VerifyCommand::new);
        COMMANDS.put("repair", RepairCommand::new);
        COMMANDS.put("baseline", BaselineCommand::new);
        COMMANDS.put("lab", LabCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** Parses and runs {@code args} with picocli; returns the exit code. */
    static int execute(String[] args) {
        CommandLine cl = new CommandLine(new RootCommand());
        addSubcommands(cl, args.length > 0 ? args[0] : null);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> Main.report(ex, line.getErr()));
        cl.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("runway: error: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return ErrorCode.USAGE.exitCode();
        });
        return cl.execute(args);
    }

    /**
     * Registers only the command being run when it is known (picocli introspects every registered
     * command class up front, which costs a command ~100 ms of start-up), else all of them (for help,
     * usage and "did you mean" suggestions).
     */
    private static void addSubcommands(CommandLine cl, String first) {
        if (first != null && COMMANDS.containsKey(first) && !first.equals("help")) {
            cl.addSubcommand(first, COMMANDS.get(first).get());
            return;
        }
        COMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
    }

    @Override
    public void run() {
        CommandLine cl = new CommandLine(new RootCommand());
        addSubcommands(cl, null);
        cl.usage(System.out);
    }

    /** {@code runway --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.versionLine()};
        }
    }
}
