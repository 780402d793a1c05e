package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The detached delay-proxy process of a persistent lab ({@code dev.runway.lab.ProxyMain}): spawned
 * with {@code setsid} so it outlives the JVM that ran {@code lab up}, told what to do through the
 * lab's state file, stopped by PID. Stateless; thread-safe.
 */
public final class ProxyProcess {
    public static final String READY = "proxy.ready";
    public static final String APPLIED = "proxy.applied";
    private static final String MAIN = "dev.runway.lab.ProxyMain";

    private ProxyProcess() {
    }

    /** Starts the proxy process for {@code dir} and waits until it listens; returns its PID. */
    public static long spawn(Path dir, LabState st) {
        try {
            Files.deleteIfExists(dir.resolve(READY));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of("setsid", java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto", "-cp", classPath(), MAIN, dir.toString()));
            Path log = dir.resolve("proxy.log");
            Process p = Os.builder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(dir.resolve(READY))) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new RunwayException(ErrorCode.USAGE, "delay proxy process for " + dir + " did not start: "
                            + Postmaster.readFrom(log, 0).strip().replace('\n', ' ') + " (see " + log + ")");
                }
                Os.sleep(10);
            }
            awaitApplied(dir, st);
            return p.pid();
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot start the delay proxy process for " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The text the proxy writes to {@link #APPLIED} once it runs with these delays. */
    public static String appliedText(LabState st) {
        Map<String, Long> sorted = new TreeMap<>();
        st.delays().forEach((n, d) -> sorted.put(n, d.toNanos()));
        return sorted.toString();
    }

    /** Waits (up to 10 s) until the proxy process has applied the delays of {@code st}. */
    public static void awaitApplied(Path dir, LabState st) {
        String want = appliedText(st);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if (want.equals(Files.readString(dir.resolve(APPLIED), StandardCharsets.UTF_8))) {
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            if (System.nanoTime() > deadline) {
                throw new RunwayException(ErrorCode.TEMPORARY, "delay proxy process of " + dir + " did not apply " + want
                        + " within 10 s (see " + dir.resolve("proxy.log") + ")");
            }
            Os.sleep(5);
        }
    }

    /** Stops the proxy process if {@code pid} still is one. */
    public static void stop(long pid, Path dir) {
        if (Os.cmdline(pid).map(c -> c.contains(MAIN) && c.contains(dir.toString())).orElse(false)) {
            Os.signal(pid, "TERM");
            if (!Os.awaitExit(pid, Duration.ofSeconds(5))) {
                Os.signal(pid, "KILL");
                Os.awaitExit(pid, Duration.ofSeconds(5));
            }
        }
    }

    /** Class path for the child: where runway-lab and runway-core classes come from. */
    private static String classPath() {
        try {
            String lab = Path.of(ProxyProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String core = Path.of(RunwayException.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return lab.equals(core) ? lab : lab + java.io.File.pathSeparator + core;
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }
}
