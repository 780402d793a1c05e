package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One PgBouncer process (Debian's {@code pgbouncer} package, or {@code RUNWAY_PGBOUNCER}): its
 * configuration, start in the foreground of its own session ({@code setsid}, as the servers run, see
 * {@link ServerUser}: PgBouncer refuses root too), readiness by a TCP connect, stop by PID. Stateless;
 * thread-safe.
 */
public final class PgBouncerProcess {
    /** Where Debian's package puts the binary. */
    static final Path DEBIAN = Path.of("/usr/sbin/pgbouncer");

    private PgBouncerProcess() {
    }

    /** What to write into pgbouncer.ini. {@code tlsCert}/{@code tlsKey}/{@code tlsCa} are null without TLS. */
    public record Conf(int port, int targetPort, String poolMode, Path tlsCert, Path tlsKey, Path tlsCa) {
    }

    /**
     * The binary: {@code RUNWAY_PGBOUNCER}, Debian's, or {@code pgbouncer} on the PATH.
     *
     * @throws RunwayException USAGE saying how to install it
     */
    public static Path binary(Map<String, String> env) {
        String configured = env.get("RUNWAY_PGBOUNCER");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.trim());
            if (!Files.isExecutable(p)) {
                throw RunwayException.usage("RUNWAY_PGBOUNCER=" + configured + " is not an executable file");
            }
            return p;
        }
        if (Files.isExecutable(DEBIAN)) {
            return DEBIAN;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "pgbouncer");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw RunwayException.usage("PgBouncer is not installed (no " + DEBIAN + ", none on the PATH): apt-get install pgbouncer,"
                + " or set RUNWAY_PGBOUNCER to its binary");
    }

    /**
     * Writes {@code dir/pgbouncer.ini} and {@code dir/userlist.txt}. Every database name is forwarded to
     * the target server; clients log in with any role that exists there (trust, like the lab's servers:
     * PgBouncer looks the role up with {@code auth_query} as user postgres).
     */
    public static void writeConf(Path dir, Conf c) {
        StringBuilder b = new StringBuilder()
                .append("; written by runway-lab\n[databases]\n")
                .append("* = host=127.0.0.1 port=").append(c.targetPort()).append('\n')
                .append("[pgbouncer]\n")
                .append("listen_addr = 127.0.0.1\n")
                .append("listen_port = ").append(c.port()).append('\n')
                .append("unix_socket_dir =\n")
                .append("auth_type = trust\n")
                .append("auth_file = ").append(dir.resolve("userlist.txt")).append('\n')
                .append("auth_user = postgres\n")
                .append("pool_mode = ").append(c.poolMode()).append('\n')
                .append("max_client_conn = 1000\n")
                .append("default_pool_size = 20\n")
                // pgjdbc sends extra_float_digits at startup, which PgBouncer does not track
                .append("ignore_startup_parameters = extra_float_digits\n")
                .append("admin_users = postgres\n")
                .append("logfile = ").append(dir.resolve("pgbouncer.log")).append('\n')
                .append("pidfile = ").append(dir.resolve("pgbouncer.pid")).append('\n')
                .append("log_connections = 0\nlog_disconnections = 0\n");
        if (c.tlsCert() != null) {
            b.append("client_tls_sslmode = allow\n")
                    .append("client_tls_cert_file = ").append(c.tlsCert()).append('\n')
                    .append("client_tls_key_file = ").append(c.tlsKey()).append('\n')
                    .append("server_tls_sslmode = verify-full\n")
                    .append("server_tls_ca_file = ").append(c.tlsCa()).append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("pgbouncer.ini"), b.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("userlist.txt"), "\"postgres\" \"\"\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RunwayException.usage("cannot write the PgBouncer configuration in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Starts PgBouncer on {@code dir/pgbouncer.ini} and waits until its port accepts connections.
     *
     * @return its PID
     */
    public static long start(ServerUser as, Path binary, Path dir, int port, Duration timeout) {
        Path log = dir.resolve("pgbouncer.log");
        long logStart = sizeOf(log);
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(as.command(binary, List.of(dir.resolve("pgbouncer.ini").toString())));
        Process p;
        try {
            p = Os.builder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot start " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                String tail = Postmaster.readFrom(log, logStart) + Postmaster.readFrom(dir.resolve("stdout.log"), 0);
                String reason = tail.lines().filter(l -> l.contains("FATAL") || l.contains("ERROR")).reduce((a, x) -> x)
                        .orElse(tail.strip());
                throw new RunwayException(ErrorCode.USAGE, "PgBouncer exited during start (exit " + p.exitValue() + "): " + reason
                        + " (see " + log + ")" + Os.unshareHint());
            }
            if (accepts(port)) {
                return p.pid();
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new RunwayException(ErrorCode.TEMPORARY, "PgBouncer on port " + port + " not ready after " + timeout.toMillis()
                        + " ms (see " + log + ")");
            }
            Os.sleep(5);
        }
    }

    /** The PID of a live PgBouncer on this dir's config, or 0. */
    public static long runningPid(Path dir, long pid) {
        return pid > 0 && Os.cmdline(pid).map(c -> c.contains(dir.resolve("pgbouncer.ini").toString())).orElse(false) ? pid : 0;
    }

    /** Immediate shutdown (SIGTERM: PgBouncer closes every connection), then SIGKILL. */
    public static void stop(Path dir, long pid) {
        if (runningPid(dir, pid) == 0) {
            return;
        }
        Os.signal(pid, "TERM");
        if (!Os.awaitExit(pid, Duration.ofSeconds(10))) {
            Os.signal(pid, "KILL");
            Os.awaitExit(pid, Duration.ofSeconds(5));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
