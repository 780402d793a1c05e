package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.flags.FlagsCommand;
import dev.runway.cli.lab.LabCommand;
import dev.runway.cli.output.Output;
import dev.runway.core.RunwayException;
import dev.runway.migrate.Runway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The picocli {@code runway} command: every command line {@link FastPath} does not take. */
@Command(name = "runway", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        description = "Release-phase toolkit for PostgreSQL: exactly-once migrations, checks, backfills, local labs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a migration failed",
                "2:usage or configuration error (also: authentication failed, database missing, TLS required but unavailable, unknown host)",
                "3:check/lint findings blocked the run",
                "4:integrity or state problem (checksum, runway.sum, failed row, out of order)",
                "75:temporary, retrying later may succeed: lock wait timed out, lock-timeout retries exhausted, connection refused"
                        + " or timed out, server shutting down, interrupted with work pending"})
final class RootCommand implements Callable<Integer> {
    /** Every subcommand, by name; built on demand. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
    /** What each command does, in one sentence: the command list of {@code runway --help} and each command's header. */
    static final Map<String, String> SUMMARIES = new LinkedHashMap<>();

    static {
        command("release", ReleaseCommand::new, "Verify, run the lint gate against the target, and apply pending migrations (fly.toml's release_command).");
        command("migrate", MigrateCommand::new, "Apply pending schema migrations under the migration lock.");
        command("rollback", RollbackCommand::new, "Run the down sections of applied migrations, newest first.");
        command("status", StatusCommand::new, "Show every migration and its state.");
        command("check", CheckCommand::new, "Lint migrations and trace them on a scratch database, never the target.");
        command("data", DataCommand::new, "Apply or show data migrations, tracked apart from schema migrations.");
        command("new", NewCommand::new, "Create a migration file with the next timestamp version.");
        command("hash", HashCommand::new, "Rewrite runway.sum after an intended edit or a merge.");
        command("verify", VerifyCommand::new, "Check runway.sum, every file and the applied checksums.");
        command("repair", RepairCommand::new, "Clear failed migrations so that the next run can go on.");
        command("baseline", BaselineCommand::new, "Adopt an existing database at a given version.");
        command("backup", BackupCommand::new, "List the backups release --backup took, or restore one.");
        command("flags", FlagsCommand::new, "List and change feature flags (runway_flags), seen by every instance.");
        command("lab", LabCommand::new, "Run a local PostgreSQL primary with streaming replicas.");
        command("demo", DemoCommand::new, "Show the whole story on a throw-away local lab.");
        command("help", CommandLine.HelpCommand::new, "Show the help of a command.");
    }

    private static void command(String name, Supplier<Object> make, String summary) {
        COMMANDS.put(name, make);
        SUMMARIES.put(name, summary);
    }

    /**
     * Parses and runs {@code args} with picocli; returns the exit code. Failures (bad usage included)
     * go through {@link Main#report}. Under {@code --format json}, what picocli itself prints (help,
     * version) becomes the {@code text} of the run's one document.
     */
    static int execute(String[] args, Invocation inv) {
        CommandLine cl = commandLine(args, inv);
        boolean json = inv.jsonWanted();
        StringWriter text = new StringWriter();
        cl.setOut(json ? new PrintWriter(text, true) : new PrintWriter(inv.out(), true));
        cl.setErr(new PrintWriter(inv.err(), true));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> Main.report(ex, inv));
        cl.setParameterExceptionHandler((ex, ignored) -> Main.report(RunwayException.usage(usageMessage(ex)), inv));
        int rc = cl.execute(args);
        if (json && !inv.documentPrinted().get() && text.getBuffer().length() > 0) {
            new Output(inv.out(), inv.err(), true, false, inv.documentPrinted())
                    .printJson(Output.mapper().createObjectNode().put("text", text.toString()), rc);
        }
        return rc;
    }

    /** The picocli command line for {@code args}: the root command and the subcommands it needs, with their options. */
    static CommandLine commandLine(String[] args, Invocation inv) {
        CommandLine cl = new CommandLine(new RootCommand(), new Factory(inv));
        addSubcommands(cl, args.length > 0 ? args[0] : null);
        return cl;
    }

    /** picocli's message about bad usage as one line, with its suggestion and where to read more. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        String m = ex.getMessage().replace('\n', ' ').strip();
        if (ex instanceof CommandLine.UnmatchedArgumentException) {
            List<String> s = ((CommandLine.UnmatchedArgumentException) ex).getSuggestions();
            if (!s.isEmpty()) {
                m += " (did you mean '" + String.join("' or '", s.subList(0, Math.min(3, s.size()))) + "'?)";
            }
        }
        return m + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    /** Gives every {@link CommonOptions} picocli creates (the mixin of each command) this run. */
    private static final class Factory implements CommandLine.IFactory {
        private final Invocation inv;

        Factory(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == CommonOptions.class) {
                return cls.cast(new CommonOptions(inv));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /**
     * Registers only the command being run when it is known (picocli introspects every registered
     * command class up front, which costs a command ~100 ms of start-up), else all of them (for help,
     * usage and "did you mean" suggestions).
     */
    private static void addSubcommands(CommandLine cl, String first) {
        if (first != null && COMMANDS.containsKey(first) && !first.equals("help")) {
            add(cl, first);
            return;
        }
        COMMANDS.keySet().forEach(name -> add(cl, name));
    }

    private static void add(CommandLine root, String name) {
        root.addSubcommand(name, COMMANDS.get(name).get());
        CommandLine sub = root.getSubcommands().get(name);
        sub.getCommandSpec().usageMessage().header(SUMMARIES.get(name));
        settingsOptions(sub);
    }

    /**
     * Gives each command (and subcommand) that reads settings exactly the flags of those settings, from
     * the {@link Setting} registry: name, value placeholder, documentation, variable and default.
     */
    private static void settingsOptions(CommandLine cl) {
        if (cl.getCommand() instanceof SettingsCommand) {
            SettingsCommand user = (SettingsCommand) cl.getCommand();
            CommonOptions common = user.common;
            for (Setting s : user.settings()) {
                if (s.flag() == null) {
                    continue; // a secret: environment or runway.toml only
                }
                CommandLine.Model.OptionSpec.Builder o = CommandLine.Model.OptionSpec.builder(s.flag()).description(s.help());
                if (s.isSwitch()) {
                    o.arity("0").type(boolean.class);
                } else {
                    o.paramLabel(s.paramLabel()).type(String.class);
                }
                cl.getCommandSpec().addOption(o.setter(new CommandLine.Model.ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value != null) {
                            common.flags.put(s, String.valueOf(value));
                        }
                        return null;
                    }
                }).build());
            }
        }
        cl.getSubcommands().values().forEach(RootCommand::settingsOptions);
    }

    @Spec
    CommandSpec spec;

    /** {@code runway} alone: the usage on stderr, exit 2 (a script that lost its arguments must not pass). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw RunwayException.usage("no command given (see 'runway --help')");
    }

    /** {@code runway --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.versionLine()};
        }
    }
}
