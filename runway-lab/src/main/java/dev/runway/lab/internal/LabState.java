package dev.runway.lab.internal;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The state file {@code lab.properties} of a persistent lab: binaries, node ports, the current
 * primary, WAL-stream delays with the ports of their proxies, and the PID of the detached proxy
 * process. Written atomically (temp file + rename). Immutable record; the file is the shared truth
 * between the process that ran {@code lab up} and later ones.
 *
 * @param ports         client port per node name, primary first
 * @param upstreamPorts per delayed replica: the proxy port its primary_conninfo points at
 * @param delays        per delayed replica: one-way delay
 * @param runAs         the user the servers run as (see {@link ServerUser}), null when not switching
 * @param tls           whether the servers run with TLS (certificates in {@code DIR/tls})
 * @param poolMode      the pool mode of the lab's PgBouncer ({@code session}, {@code transaction}), null when none
 * @param pgbouncerPort its port (0 when none)
 * @param pgbouncerPid  its PID while running, else 0
 */
public record LabState(String version, Path binDir, String primary, Map<String, Integer> ports,
                       Map<String, Integer> upstreamPorts, Map<String, Duration> delays, long proxyPid, String runAs,
                       boolean tls, String poolMode, int pgbouncerPort, long pgbouncerPid) {
    public static final String FILE = "lab.properties";

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public static LabState load(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw RunwayException.usage("no lab in " + dir + " (cannot read " + FILE + ": " + e.getMessage() + ")");
        }
        try {
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, Integer> up = new LinkedHashMap<>();
            Map<String, Duration> delays = new LinkedHashMap<>();
            for (String node : p.getProperty("nodes").split(",")) {
                ports.put(node, Integer.parseInt(p.getProperty("node." + node + ".port")));
                String u = p.getProperty("node." + node + ".upstreamPort");
                if (u != null) {
                    up.put(node, Integer.parseInt(u));
                    delays.put(node, Duration.ofNanos(Long.parseLong(p.getProperty("node." + node + ".delayNanos"))));
                }
            }
            return new LabState(p.getProperty("version"), Path.of(p.getProperty("binDir")), p.getProperty("primary"), ports, up,
                    delays, Long.parseLong(p.getProperty("proxyPid", "0")), p.getProperty("runAs"),
                    Boolean.parseBoolean(p.getProperty("tls", "false")), p.getProperty("pgbouncer.mode"),
                    Integer.parseInt(p.getProperty("pgbouncer.port", "0")), Long.parseLong(p.getProperty("pgbouncer.pid", "0")));
        } catch (RuntimeException e) {
            throw RunwayException.usage(dir.resolve(FILE) + " is damaged (" + e + "); runway lab down --destroy and up again");
        }
    }

    public void save(Path dir) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("binDir", binDir.toString());
        p.setProperty("primary", primary);
        p.setProperty("nodes", String.join(",", ports.keySet()));
        ports.forEach((n, port) -> p.setProperty("node." + n + ".port", Integer.toString(port)));
        upstreamPorts.forEach((n, port) -> {
            p.setProperty("node." + n + ".upstreamPort", Integer.toString(port));
            p.setProperty("node." + n + ".delayNanos", Long.toString(delays.getOrDefault(n, Duration.ZERO).toNanos()));
        });
        p.setProperty("proxyPid", Long.toString(proxyPid));
        if (runAs != null) {
            p.setProperty("runAs", runAs);
        }
        p.setProperty("tls", Boolean.toString(tls));
        if (poolMode != null) {
            p.setProperty("pgbouncer.mode", poolMode);
            p.setProperty("pgbouncer.port", Integer.toString(pgbouncerPort));
            p.setProperty("pgbouncer.pid", Long.toString(pgbouncerPid));
        }
        try {
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "runway-lab state; edit with runway lab commands, not by hand");
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + dir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    public LabState withProxyPid(long pid) {
        return new LabState(version, binDir, primary, ports, upstreamPorts, delays, pid, runAs, tls, poolMode, pgbouncerPort,
                pgbouncerPid);
    }

    /** The same state with the lab's PgBouncer as given (mode null: none). */
    public LabState withPgBouncer(String mode, int port, long pid) {
        return new LabState(version, binDir, primary, ports, upstreamPorts, delays, proxyPid, runAs, tls, mode, port, pid);
    }
}
