package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link FastPath} and picocli ({@link RootCommand}) read the same command lines the same way: for every
 * flag picocli gives {@code release}, {@code migrate} and {@code status}, both forms ({@code --flag value},
 * {@code --flag=value}), the fast path fills the same settings, {@code --config} and {@code --with-data} as
 * picocli, and the settings they resolve (with the environment and runway.toml) are the same; what the
 * fast path does not take (help, unknown flags, another command's flags, a value for a switch, a flag
 * twice, a missing value) it leaves to picocli. In-process, no database.
 */
class FastPathParityTest {
    private static final List<String> FAST = List.of("release", "migrate", "status", "check");

    /**
     * What a parser made of a command line: the command's settings flags, --config, --with-data, the
     * target options and check's own options and files.
     */
    record Parsed(Map<Setting, String> flags, Path config, boolean withData, String to, int step, boolean dryRun, Checked check) {
        static Parsed of(Object command) {
            SettingsCommand c = (SettingsCommand) command;
            TargetOptions t = c instanceof MigrateCommand ? ((MigrateCommand) c).target : new TargetOptions();
            return new Parsed(new EnumMap<>(c.common.flags), c.common.config,
                    c instanceof ReleaseCommand && ((ReleaseCommand) c).withData, t.to, t.step, t.dryRun,
                    c instanceof CheckCommand ? Checked.of((CheckCommand) c) : null);
        }
    }

    /** check's own options and files. */
    record Checked(List<Path> files, String mode, String pg, boolean staticOnly, boolean noRoundTrip, String scratchUrl,
            String against, Path sarif) {
        static Checked of(CheckCommand c) {
            return new Checked(List.copyOf(c.files), c.mode, c.pg, c.staticOnly, c.noRoundTrip, c.scratchUrl, c.against, c.sarif);
        }
    }

    private static Invocation invocation(String[] args, Function<String, String> env) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Invocation(args, env, sink, sink);
    }

    /** The fast path's command for {@code args}, or null when it leaves them to picocli. */
    private static SettingsCommand fast(Function<String, String> env, String... args) {
        return FastPath.parse(args, invocation(args, env));
    }

    /** picocli's command for {@code args} (it throws what it would report as bad usage). */
    private static SettingsCommand picocli(Function<String, String> env, String... args) {
        CommandLine cl = RootCommand.commandLine(args, invocation(args, env));
        cl.parseArgs(args);
        return (SettingsCommand) cl.getSubcommands().get(args[0]).getCommand();
    }

    /** Both parsers take {@code args} and make the same of them. */
    private static void same(String... args) {
        SettingsCommand f = fast(k -> null, args);
        assertThat(f).as("the fast path takes %s", List.of(args)).isNotNull();
        assertThat(Parsed.of(f)).as("%s", List.of(args)).isEqualTo(Parsed.of(picocli(k -> null, args)));
    }

    /** The fast path leaves {@code args} to picocli. */
    private static void leftToPicocli(String... args) {
        assertThat(fast(k -> null, args)).as("the fast path leaves %s to picocli", List.of(args)).isNull();
    }

    /** The fast path leaves {@code args} to picocli, and picocli refuses them (exit 2 with its message). */
    private static void refused(String... args) {
        leftToPicocli(args);
        assertThatThrownBy(() -> picocli(k -> null, args)).as("picocli refuses %s", List.of(args))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    /** Every option picocli gives {@code command}, by name. */
    private static List<OptionSpec> options(String command) {
        String[] args = {command};
        return RootCommand.commandLine(args, invocation(args, k -> null)).getSubcommands().get(command).getCommandSpec().options();
    }

    private static Setting setting(String flag) {
        for (Setting s : Setting.values()) {
            if (flag.equals(s.flag())) {
                return s;
            }
        }
        return null;
    }

    /** A value for {@code s}'s flag, different for every setting. */
    private static String value(Setting s) {
        return s == Setting.URL ? "postgres://app:pw@db.internal:5432/app?sslmode=require" : "v-" + s.key();
    }

    @Test
    void everyFlagOfTheFastCommandsParsesTheSameInBothForms() {
        for (String cmd : FAST) {
            List<String> all = new ArrayList<>(List.of(cmd));
            int taken = 0;
            for (OptionSpec o : options(cmd)) {
                String flag = o.longestName();
                Setting s = setting(flag);
                if (s != null) {
                    assertThat(Main.settingsOf(cmd)).as(cmd + " reads " + s).contains(s);
                    if (s.isSwitch()) {
                        same(cmd, flag);
                        refused(cmd, flag + "=true"); // a switch takes no value
                        all.add(flag);
                    } else {
                        same(cmd, flag, value(s));
                        same(cmd, flag + "=" + value(s));
                        same(cmd, flag + "=" + "-1s"); // attached, a value may start with '-'
                        same(cmd, flag + "=");
                        refused(cmd, flag); // no value
                        all.add(taken % 2 == 0 ? flag + "=" + value(s) : flag);
                        if (taken % 2 != 0) {
                            all.add(value(s));
                        }
                    }
                    refused(s.isSwitch() ? new String[] {cmd, flag, flag} : new String[] {cmd, flag, "x", flag + "=y"}); // given twice
                    taken++;
                } else if (flag.equals(CommonOptions.CONFIG)) {
                    same(cmd, flag, "elsewhere/runway.toml");
                    same(cmd, flag + "=elsewhere/runway.toml");
                    refused(cmd, flag);
                    all.add(flag + "=elsewhere/runway.toml");
                    taken++;
                } else if (flag.equals(ReleaseCommand.WITH_DATA)) {
                    same(cmd, flag);
                    all.add(flag);
                    taken++;
                } else if (cmd.equals("check") && !o.usageHelp()) {
                    // check's own options
                    if (o.arity().max() == 0) {
                        same(cmd, flag);
                        leftToPicocli(cmd, flag + "=true"); // picocli's own rules for a boolean's attached value
                        refused(cmd, flag, flag);
                        all.add(flag);
                    } else {
                        same(cmd, flag, "v" + flag);
                        same(cmd, flag + "=v" + flag);
                        same(cmd, flag + "=-1");
                        same(cmd, flag + "=");
                        refused(cmd, flag);
                        refused(cmd, flag, "x", flag + "=y");
                        all.add(flag);
                        all.add("v" + flag);
                    }
                    taken++;
                } else {
                    // picocli's own (--help) and what only picocli takes (--to, --step, --dry-run)
                    assertThat(flag).as(cmd + " option the fast path does not read").isIn("--help", "--to", "--step", "--dry-run");
                    leftToPicocli(cmd, flag, "1");
                    leftToPicocli(cmd, o.shortestName());
                }
            }
            // every settings flag of the command, a flag the fast path reads for each of them
            Set<Setting> reads = Main.settingsOf(cmd);
            assertThat(taken).as(cmd + ": flags read").isEqualTo(1 + (cmd.equals("release") ? 1 : 0) + (cmd.equals("check") ? 7 : 0)
                    + (int) reads.stream().filter(s -> s.flag() != null).count());
            same(all.toArray(String[]::new));
            if (cmd.equals("check")) {
                // files before, between and after the flags
                all.add(1, "migrations/1_a.sql");
                all.add(4, "2_b.sql");
                all.add("../3 c.sql");
                all.add("migrations/1_a.sql");
                same(all.toArray(String[]::new));
            }
        }
    }

    @Test
    void whatTheFastPathDoesNotReadGoesToPicocli() {
        for (String cmd : FAST) {
            refused(cmd, "--frobnicate", "x");
            refused(cmd, "--frobnicate=x");
            if (!cmd.equals("check")) {
                refused(cmd, "positional");
            }
            refused(cmd, "-x");
            leftToPicocli(cmd, "-h");
            leftToPicocli(cmd, "--help");
            leftToPicocli(cmd, "--dir", "migrations", "--help");
            leftToPicocli(cmd, "--", "--url");
            leftToPicocli(cmd, "-");
            leftToPicocli(cmd, "--dir", "@args.txt"); // picocli reads @FILE as a file of arguments
            leftToPicocli(cmd, "@args.txt");
            // another command's flags
            for (Setting s : Setting.values()) {
                if (s.flag() != null && !Main.settingsOf(cmd).contains(s)) {
                    refused(cmd, s.flag(), "x");
                    refused(cmd, s.flag() + "=x");
                }
            }
        }
        refused("migrate", ReleaseCommand.WITH_DATA);
        refused("release", "--dir", "--url", "postgres://h/db"); // a flag where a value belongs
        leftToPicocli("rollback", "--url", "postgres://h/db");
        leftToPicocli("verify");
        leftToPicocli();
        same("check");
        same("check", "--static");
        same("check", "1_a.sql", "2_b.sql");
        same("check", "");
    }

    @Test
    void bothResolveTheSameSettingsFromFlagsEnvironmentAndRunwayToml(@TempDir Path tmp) throws Exception {
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "lock_wait = \"7m\"\nretries = 3\nschema = \"toml_schema\"\n[lint]\ngate.small-table = \"1MB\"\n");
        Map<String, String> environment = Map.of("RUNWAY_LOCK_TIMEOUT", "4s", "RUNWAY_SCHEMA", "env_schema", "DATABASE_URL",
                "postgres://env@h/db", "RUNWAY_ALLOW_OUT_OF_ORDER", "true", "AWS_REGION", "auto");
        Function<String, String> env = environment::get;
        for (String cmd : FAST) {
            String[] args = cmd.equals("check") ? new String[] {cmd, "--config=" + toml, "--table", "flag_table", "--static"}
                    : new String[] {cmd, "--config=" + toml, "--table", "flag_table", "--url=postgres://flag@h/db", "--allow-out-of-order"};
            Settings f = fast(env, args).common.settings();
            Settings p = picocli(env, args).common.settings();
            for (Setting s : Setting.values()) {
                assertThat(f.get(s)).as(cmd + " " + s).isEqualTo(p.get(s));
                assertThat(f.source(s)).as(cmd + " source of " + s).isEqualTo(p.source(s));
            }
            assertThat(f.get(Setting.URL)).isEqualTo(cmd.equals("check") ? "postgres://env@h/db" : "postgres://flag@h/db");
            assertThat(f.get(Setting.TABLE)).isEqualTo("flag_table");
            assertThat(f.get(Setting.SCHEMA)).isEqualTo("env_schema");
            assertThat(f.get(Setting.LOCK_WAIT)).isEqualTo("7m");
        }
    }
}
