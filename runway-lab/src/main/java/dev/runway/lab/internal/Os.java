package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
     * The command to run a PostgreSQL server binary: as is, or under {@code unshare -U} when we are root
     * (PostgreSQL refuses uid 0; in a fresh user namespace it runs as 65534 while files stay ours).
     */
    public static List<String> serverCommand(Path binary, List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.add("unshare");
            cmd.add("-U");
        }
        cmd.add(binary.toString());
        cmd.addAll(args);
        return cmd;
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
        public String lastLine() {
            String t = output.strip();
            int nl = t.lastIndexOf('\n');
            return nl < 0 ? t : t.substring(nl + 1);
        }
    }

    /** Runs a command to completion (output to a temp file, never a pipe a daemon could hold open). */
    public static Result run(List<String> cmd, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("runway-cmd", ".out");
            ProcessBuilder pb = builder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RunwayException(ErrorCode.TEMPORARY, "command did not finish within " + timeout.toMillis() + " ms: "
                        + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted while running " + String.join(" ", cmd), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** Runs a command and throws (with its last output line) unless it exits 0. */
    public static String check(List<String> cmd, Duration timeout, String what) {
        Result r = run(cmd, timeout);
        if (r.exitCode() != 0) {
            throw new RunwayException(ErrorCode.USAGE, what + " failed (exit " + r.exitCode() + "): " + r.lastLine());
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
