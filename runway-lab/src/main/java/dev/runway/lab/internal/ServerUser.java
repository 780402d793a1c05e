package dev.runway.lab.internal;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who the PostgreSQL binaries run as. PostgreSQL refuses uid 0, so as root they run under
 * {@code unshare -U} (a new user namespace: the server sees uid 65534, files stay root's), or, when
 * user namespaces are unavailable or {@code RUNWAY_LAB_RUN_AS} names a user, as that user through
 * {@code setpriv} (which execs in place, so the PID we spawn is the postmaster's); the data dirs
 * then belong to that user, the lab dir stays ours (mode 0711) and the servers listen on TCP only. Any other user runs them as itself. Immutable; thread-safe.
 *
 * @param user the user switched to, or null when not switching
 */
public record ServerUser(boolean unshare, String user, int uid, int gid) {
    /** Not root: run the binaries as they are. */
    public static final ServerUser SELF = new ServerUser(false, null, -1, -1);
    /** Root with user namespaces. */
    public static final ServerUser UNSHARE = new ServerUser(true, null, -1, -1);

    /** Decides from who we are, {@code RUNWAY_LAB_RUN_AS} and whether {@code unshare -U} works here. */
    public static ServerUser resolve(Map<String, String> env) {
        if (!Os.isRoot()) {
            return SELF;
        }
        String as = env.get("RUNWAY_LAB_RUN_AS");
        if (as != null && !as.isBlank()) {
            return switchTo(as.trim());
        }
        if (Os.run(List.of("unshare", "-U", "true"), Duration.ofSeconds(10)).exitCode() == 0) {
            return UNSHARE;
        }
        if (Os.run(List.of("id", "-u", "postgres"), Duration.ofSeconds(10)).exitCode() == 0) {
            return switchTo("postgres");
        }
        throw RunwayException.usage("running PostgreSQL as root needs 'unshare -U' (user namespaces), which fails here, "
                + "or a user to switch to: set RUNWAY_LAB_RUN_AS=<user>, or run as a non-root user");
    }

    /** The mode recorded for a persistent lab (null = not switching). */
    public static ServerUser of(String user) {
        if (user != null && !user.isBlank()) {
            return switchTo(user);
        }
        return Os.isRoot() ? UNSHARE : SELF;
    }

    private static ServerUser switchTo(String user) {
        Os.Result uid = Os.run(List.of("id", "-u", user), Duration.ofSeconds(10));
        Os.Result gid = Os.run(List.of("id", "-g", user), Duration.ofSeconds(10));
        if (uid.exitCode() != 0 || gid.exitCode() != 0) {
            throw RunwayException.usage("RUNWAY_LAB_RUN_AS=" + user + ": no such user (" + uid.lastLine() + ")");
        }
        int u = Integer.parseInt(uid.output().strip());
        if (u == 0) {
            throw RunwayException.usage("RUNWAY_LAB_RUN_AS=" + user + " is uid 0; PostgreSQL refuses to run as root");
        }
        return new ServerUser(false, user, u, Integer.parseInt(gid.output().strip()));
    }

    public boolean switches() {
        return user != null;
    }

    /** The command line to run a server binary with. */
    public List<String> command(Path binary, List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (unshare) {
            cmd.add("unshare");
            cmd.add("-U");
        } else if (switches()) {
            cmd.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        }
        cmd.add(binary.toString());
        cmd.addAll(args);
        return cmd;
    }

    /** Hands {@code path} (recursively) to the user the servers run as; a no-op unless switching. */
    public void own(Path path) {
        if (switches()) {
            Os.check(List.of("chown", "-R", uid + ":" + gid, path.toString()), Duration.ofMinutes(1), "chown of " + path + " to " + user);
        }
    }

    /**
     * Lets the other user reach the data dirs inside {@code dir} (mode 0711) while the dir stays ours,
     * so that ownership checks and later {@code Lab.open} keep working; a no-op unless switching.
     */
    public void openDir(Path dir) {
        if (switches()) {
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            } catch (IOException e) {
                throw RunwayException.usage("cannot chmod 711 " + dir + " for user " + user + ": " + e.getMessage());
            }
        }
    }

    /** Distinguishes templates by the owner of their files. */
    public String key() {
        return switches() ? "as" + uid : "u" + Os.uid();
    }
}
