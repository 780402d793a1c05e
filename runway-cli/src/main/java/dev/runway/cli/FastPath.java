package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.nio.file.Path;

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
        java.util.Set<Setting> uses = command.settings();
        java.util.Set<String> seen = new java.util.HashSet<>();
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
            if (name.equals(Setting.ALLOW_OUT_OF_ORDER.flag()) && value == null && uses.contains(Setting.ALLOW_OUT_OF_ORDER)) {
                common.flags.put(Setting.ALLOW_OUT_OF_ORDER, "true");
                continue;
            }
            if (release != null && name.equals("--with-data") && value == null) {
                release.withData = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                    return null;
                }
                value = args[++i];
            }
            if (!set(common, release, uses, name, value)) {
                return null;
            }
        }
        return command.call();
    }

    private static boolean set(CommonOptions c, ReleaseCommand release, java.util.Set<Setting> uses, String flag, String v) {
        if (flag.equals("--config")) {
            c.config = Path.of(v);
            return true;
        }
        for (Setting s : uses) {
            if (flag.equals(s.flag()) && s.paramLabel() != null) {
                c.flags.put(s, v);
                return true;
            }
        }
        return false;
    }
}
