package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and stops one PostgreSQL server ({@code postgres -D dir}) directly, without pg_ctl: the
 * server is spawned in its own session ({@code setsid}) and readiness is read from the status line of
 * {@code postmaster.pid}, so a start costs what the server needs, not pg_ctl's 100 ms polling.
 * Stateless; thread-safe.
 */
public final class Postmaster {
    private Postmaster() {
    }

    /** Thrown when the server could not bind its port (another process took it). */
    public static final class PortInUseException extends RunwayException {
        private static final long serialVersionUID = 1L;
        private final int port;

        PortInUseException(int port, String message) {
            super(ErrorCode.USAGE, message);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    /** The postmaster PID recorded in {@code postmaster.pid}, or 0 when there is none. */
    public static long readPid(Path dataDir) {
        List<String> lines = pidFile(dataDir);
        try {
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The PID of a live postmaster of this data dir, or 0 (a stale pid file after kill -9 counts as 0). */
    public static long runningPid(Path dataDir) {
        long pid = readPid(dataDir);
        if (pid <= 0 || !Os.isAlive(pid)) {
            return 0;
        }
        String cmd = Os.cmdline(pid).orElse("");
        return cmd.contains(dataDir.toString()) ? pid : 0;
    }

    private static List<String> pidFile(Path dataDir) {
        try {
            return Files.readAllLines(dataDir.resolve("postmaster.pid"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Starts the server and waits until it accepts connections.
     *
     * @return the postmaster PID
     * @throws PortInUseException when the log says the port was taken
     */
    public static long start(ServerUser as, Path postgres, Path dataDir, Path logFile, int port, Duration timeout) {
        long logStart = size(logFile);
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(as.command(postgres, List.of("-D", dataDir.toString())));
        Process p;
        try {
            p = Os.builder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot start " + postgres + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = pidFile(dataDir);
            if (lines.size() >= 8 && lines.get(0).trim().equals(Long.toString(p.pid())) && lines.get(7).trim().equals("ready")) {
                return p.pid();
            }
            if (!p.isAlive()) {
                String tail = readFrom(logFile, logStart);
                if (tail.contains("could not bind") || tail.contains("Address already in use")) {
                    throw new PortInUseException(port, "port " + port + " on 127.0.0.1 is in use by another process; "
                            + "server " + dataDir + " could not start (free the port, or runway lab down --destroy and up again)");
                }
                throw new RunwayException(ErrorCode.USAGE, "PostgreSQL server " + dataDir + " exited during start (exit "
                        + p.exitValue() + "): " + lastError(tail) + " (see " + logFile + ")"
                        + (as.switches() && tail.contains("Permission denied")
                            ? "; user " + as.user() + " must be able to reach it: every parent dir needs o+x" : Os.unshareHint()));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new RunwayException(ErrorCode.TEMPORARY, "PostgreSQL server " + dataDir + " not ready after "
                        + timeout.toMillis() + " ms (see " + logFile + ")");
            }
            Os.sleep(3);
        }
    }

    /**
     * Fast shutdown (SIGINT: disconnect clients, checkpoint), escalating to immediate (SIGQUIT) and
     * SIGKILL when it takes longer than {@code timeout}.
     */
    public static void stop(long pid, Duration timeout) {
        if (!Os.signal(pid, "INT")) {
            return;
        }
        if (Os.awaitExit(pid, timeout)) {
            return;
        }
        Os.signal(pid, "QUIT");
        if (!Os.awaitExit(pid, Duration.ofSeconds(5))) {
            Os.signal(pid, "KILL");
            Os.awaitExit(pid, Duration.ofSeconds(5));
        }
    }

    /**
     * Immediate shutdown (SIGQUIT: the backends quit, no shutdown checkpoint; the next start would run crash
     * recovery), escalating to SIGKILL after 5 s: for a server whose data dir is deleted next.
     */
    public static void stopNow(long pid) {
        if (!Os.signal(pid, "QUIT")) {
            return;
        }
        if (!Os.awaitExit(pid, Duration.ofSeconds(5))) {
            Os.signal(pid, "KILL");
            Os.awaitExit(pid, Duration.ofSeconds(5));
        }
    }

    private static long size(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Log text written since {@code offset} (at most the last 8 KiB). */
    public static String readFrom(Path f, long offset) {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long from = Math.max(offset, raf.length() - 8192);
            byte[] b = new byte[(int) Math.max(0, raf.length() - from)];
            raf.seek(from);
            raf.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastError(String log) {
        String last = "";
        for (String line : log.split("\n")) {
            if (line.contains("FATAL") || line.contains("ERROR") || line.contains("PANIC")) {
                last = line.strip();
            }
        }
        if (last.isEmpty()) {
            String t = log.strip();
            last = t.substring(t.lastIndexOf('\n') + 1);
        }
        return last;
    }
}
