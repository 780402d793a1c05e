package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.nio.file.Path;
import java.util.concurrent.Callable;

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
    static Integer tryRun(String[] args) throws Exception {
        if (args.length == 0) {
            return null;
        }
        CommonOptions common = new CommonOptions();
        Callable<Integer> command;
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
            if (name.equals("--allow-out-of-order") && value == null) {
                common.allowOutOfOrder = true;
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
            if (!set(common, release, name, value)) {
                return null;
            }
        }
        return command.call();
    }

    private static boolean set(CommonOptions c, ReleaseCommand release, String flag, String v) {
        if (flag.equals("--config")) {
            c.config = Path.of(v);
            return true;
        }
        if (release != null && flag.equals("--backup")) {
            release.backup = Path.of(v);
            return true;
        }
        for (Setting s : Setting.values()) {
            if (s.flag().equals(flag) && s != Setting.ALLOW_OUT_OF_ORDER) {
                put(c, s, v);
                return true;
            }
        }
        return false;
    }

    private static void put(CommonOptions c, Setting s, String v) {
        switch (s) {
            case URL: c.url = v; break;
            case DIR: c.dir = v; break;
            case DATA_DIR: c.dataDir = v; break;
            case SCHEMA: c.schema = v; break;
            case TABLE: c.table = v; break;
            case LOCK_WAIT: c.lockWait = v; break;
            case LOCK_TIMEOUT: c.lockTimeout = v; break;
            case CONCURRENT_LOCK_TIMEOUT: c.concurrentLockTimeout = v; break;
            case STATEMENT_TIMEOUT: c.statementTimeout = v; break;
            case RETRIES: c.retries = v; break;
            case FORMAT: c.format = v; break;
            case CLASSPATH: c.classpath = v; break;
            case REPLICA_URLS: c.replicaUrls = v; break;
            default: throw new IllegalStateException("setting without a field: " + s);
        }
    }
}
