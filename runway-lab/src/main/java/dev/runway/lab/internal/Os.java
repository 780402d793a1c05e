package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Process helpers: who we are, running short commands, signalling PIDs. Stateless; thread-safe. */
public final class Os {
    private static final File DEV_NULL = new File("/dev/null");

    private Os() {
    }

    /** Real uid of this process, from /proc/self/status. */
    public static int uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot read /proc/self/status to find our uid: " + e.getMessage(), e);
        }
        throw new RunwayException(ErrorCode.USAGE, "no Uid line in /proc/self/status");
    }

    public static boolean isRoot() {
        return uid() == 0;
    }

    /**
     * When we are root and {@code unshare -U} does not work (user namespaces disabled, e.g. Docker's
     * default seccomp profile), a hint saying so; else an empty string. Called only after a failure.
     */
    public static String unshareHint() {
        if (!isRoot()) {
            return "";
        }
        Result r = run(List.of("unshare", "-U", "true"), Duration.ofSeconds(10));
        return r.exitCode() == 0 ? "" : " (as root the lab runs PostgreSQL under 'unshare -U', which failed here: " + r.lastLine()
                + "; enable user namespaces or run as a non-root user)";
    }

    /** A process builder with PG* variables removed (so PGHOST/PGPORT of the caller do not leak in). */
    public static ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("LC_ALL", "C.UTF-8");
        pb.redirectInput(DEV_NULL);
        return pb;
    }

    /** Result of a finished command: exit code and combined output. */
    public record Result(int exitCode, String output) {
        /** The first line that reads like an error (error, fatal, cannot, could not, denied), else the last line. */
        public String errorLine() {
            for (String line : output.split("\n")) {
                String l = line.toLowerCase(java.util.Locale.ROOT);
                if (l.contains("error") || l.contains("fatal") || l.contains("cannot") || l.contains("could not") || l.contains("denied")) {
                    return line.strip();
                }
            }
            return lastLine();
        }

        public String lastLine() {
            String t = output.strip();
            int nl = t.lastIndexOf('\n');
            return nl < 0 ? t : t.substring(nl + 1);
        }
    }

    /**
     * Runs a command to completion and returns its exit code and combined output. Only for commands
     * that leave no daemon behind holding the output pipe (servers are started by {@link Postmaster}).
     */
    public static Result run(List<String> cmd, Duration timeout) {
        Process p;
        try {
            p = builder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // process killed: keep what we have
            }
        }, "runway-lab-cmd-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RunwayException(ErrorCode.TEMPORARY, "command did not finish within " + timeout.toMillis() + " ms: "
                        + String.join(" ", cmd));
            }
            reader.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted while running " + String.join(" ", cmd), e);
        }
    }

    /** Runs a command and throws (with its last output line) unless it exits 0. */
    public static String check(List<String> cmd, Duration timeout, String what) {
        Result r = run(cmd, timeout);
        if (r.exitCode() != 0) {
            throw new RunwayException(ErrorCode.USAGE, what + " failed (exit " + r.exitCode() + "): " + r.errorLine());
        }
        return r.output();
    }

    public static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Sends a signal by name (INT, QUIT, KILL, HUP, TERM) to one PID; false when it is gone. */
    public static boolean signal(long pid, String sig) {
        if (!isAlive(pid)) {
            return false;
        }
        if ("KILL".equals(sig)) {
            return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
        }
        if ("TERM".equals(sig)) {
            return ProcessHandle.of(pid).map(ProcessHandle::destroy).orElse(false);
        }
        return run(List.of("kill", "-" + sig, Long.toString(pid)), Duration.ofSeconds(10)).exitCode() == 0;
    }

    /** Waits until the PID is gone; true when it went within the timeout. */
    public static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(5);
        }
        return true;
    }

    /** The command line of a process, NULs as spaces; empty when gone. */
    public static Optional<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return Optional.of(new String(b, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted", e);
        }
    }

    static File devNull() {
        return DEV_NULL;
    }
}
