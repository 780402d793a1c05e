package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs the commands every deploy runs ({@code release}, {@code migrate}, {@code status}) and
 * {@code check} (a CI step on every push, its static rules a text linter's peer) without picocli when
 * their arguments are plain flags (and, for check, file names). picocli's classes cannot be put in
 * the class-data-sharing archive (they are Java 5 class files) and cost a command ~150 ms of start-up;
 * this path reads the same flags from the {@link Setting} registry and the commands' own option names
 * and fills the same command objects. Anything else (help, an unknown or malformed flag, {@code --},
 * an {@code @FILE} argument file, other commands) returns null and goes through picocli, which owns the
 * messages for bad usage.
 */
final class FastPath {
    private FastPath() {
    }

    /** The command's exit code, or null when picocli should handle these arguments. */
    static Integer tryRun(String[] args, Invocation invocation) throws Exception {
        SettingsCommand command = parse(args, invocation);
        return command == null ? null : command.call();
    }

    /**
     * The command these arguments run, its options filled as picocli would fill them, or null when
     * picocli should handle them (FastPathParityTest compares the two for every flag).
     */
    static SettingsCommand parse(String[] args, Invocation invocation) {
        if (args.length == 0) {
            return null;
        }
        for (String a : args) {
            if (a.startsWith("@")) {
                return null; // picocli reads @FILE as a file of arguments
            }
        }
        CommonOptions common = new CommonOptions(invocation);
        SettingsCommand command;
        ReleaseCommand release = null;
        CheckCommand check = null;
        switch (args[0]) {
            case "release":
                release = new ReleaseCommand();
                command = release;
                break;
            case "migrate":
                command = new MigrateCommand();
                break;
            case "status":
                command = new StatusCommand();
                break;
            case "check":
                check = new CheckCommand();
                command = check;
                break;
            default:
                return null;
        }
        command.common = common;
        Set<Setting> uses = command.settings();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (check != null && !a.startsWith("-")) {
                Path file = path(a);
                if (file == null) {
                    return null;
                }
                check.files.add(file);
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!seen.add(name)) {
                return null; // given twice: picocli reports it
            }
            if (value == null) {
                if (release != null && name.equals(ReleaseCommand.WITH_DATA)) {
                    release.withData = true;
                    continue;
                }
                if (check != null && checkSwitch(check, name)) {
                    continue;
                }
                Setting on = setting(uses, name);
                if (on != null && on.isSwitch()) {
                    common.flags.put(on, "true");
                    continue;
                }
                if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                    return null;
                }
                value = args[++i];
            }
            if (name.equals(CommonOptions.CONFIG)) {
                common.config = Path.of(value);
                continue;
            }
            if (check != null && isCheckSwitch(name)) {
                return null; // a value given to a switch: picocli's message
            }
            if (check != null && checkOption(check, name, value)) {
                continue;
            }
            Setting s = setting(uses, name);
            if (s == null || s.isSwitch()) {
                return null; // not a flag of this command, or a value given to a switch: picocli's message
            }
            common.flags.put(s, value);
        }
        return command;
    }

    private static boolean isCheckSwitch(String name) {
        return name.equals(CheckCommand.STATIC) || name.equals(CheckCommand.NO_ROUND_TRIP);
    }

    /** Sets check's switch {@code name}; false when check has no such switch. */
    private static boolean checkSwitch(CheckCommand check, String name) {
        switch (name) {
            case CheckCommand.STATIC:
                check.staticOnly = true;
                return true;
            case CheckCommand.NO_ROUND_TRIP:
                check.noRoundTrip = true;
                return true;
            default:
                return false;
        }
    }

    /** Sets check's own option {@code name} (not a setting) to {@code value}; false when check has no such option. */
    private static boolean checkOption(CheckCommand check, String name, String value) {
        switch (name) {
            case CheckCommand.MODE:
                check.mode = value;
                return true;
            case CheckCommand.PG:
                check.pg = value;
                return true;
            case CheckCommand.SCRATCH_URL:
                check.scratchUrl = value;
                return true;
            case CheckCommand.AGAINST:
                check.against = value;
                return true;
            case CheckCommand.SARIF:
                check.sarif = path(value);
                return check.sarif != null;
            default:
                return false;
        }
    }

    /** {@code value} as picocli converts it to a Path, or null when it is no path (picocli's message). */
    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The setting among {@code uses} whose flag is {@code flag}, or null. */
    private static Setting setting(Set<Setting> uses, String flag) {
        for (Setting s : uses) {
            if (flag.equals(s.flag())) {
                return s;
            }
        }
        return null;
    }
}
