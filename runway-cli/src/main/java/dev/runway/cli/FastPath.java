package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs the commands every deploy runs ({@code release}, {@code migrate}, {@code status}) without
 * picocli when their arguments are plain settings flags. picocli's classes cannot be put in the
 * class-data-sharing archive (they are Java 5 class files) and cost a release command ~150 ms of
 * start-up; this path reads the same flags from the {@link Setting} registry and fills the same
 * command objects. Anything else (help, an unknown or malformed flag, other commands) returns null
 * and goes through picocli, which owns the messages for bad usage.
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
        CommonOptions common = new CommonOptions(invocation);
        SettingsCommand command;
        ReleaseCommand release = null;
        switch (args[0]) {
            case "release":
                release = new ReleaseCommand();
                release.common = common;
                command = release;
                break;
            case "migrate": {
                MigrateCommand m = new MigrateCommand();
                m.common = common;
                command = m;
                break;
            }
            case "status": {
                StatusCommand s = new StatusCommand();
                s.common = common;
                command = s;
                break;
            }
            default:
                return null;
        }
        Set<Setting> uses = command.settings();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
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
            Setting s = setting(uses, name);
            if (s == null || s.isSwitch()) {
                return null; // not a flag of this command, or a value given to a switch: picocli's message
            }
            common.flags.put(s, value);
        }
        return command;
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
