package dev.runway.lab;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.PgBouncerProcess;
import dev.runway.lab.internal.Ports;
import dev.runway.lab.internal.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;

/**
 * A PgBouncer in front of one node of a {@link Lab}, in session or transaction pooling, on its own
 * port of 127.0.0.1: the path most production connections take. Every database of the node is reachable
 * through it with the roles that exist there (see {@link PgBouncerProcess#writeConf}). On a lab with
 * TLS it accepts TLS from clients with the lab's server certificate and verifies the server's.
 *
 * <p>Thread-safe; lifecycle calls are serialized. Started by {@link Lab#pgbouncer(Node, PoolMode)} or
 * by the lab's configuration, stopped with the lab.
 */
public final class PgBouncer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private final Lab lab;
    private final String name;
    private final PoolMode mode;
    private final Path dir;
    private volatile Node target;
    private volatile int port;
    private volatile long pid;

    PgBouncer(Lab lab, String name, Node target, PoolMode mode, int port, long pid) {
        this.lab = lab;
        this.name = name;
        this.target = target;
        this.mode = mode;
        this.port = port;
        this.pid = pid;
        this.dir = lab.dir().resolve(name);
    }

    /** The directory name in the lab dir, e.g. {@code pgbouncer}. */
    public String name() {
        return name;
    }

    public PoolMode mode() {
        return mode;
    }

    /** The node it forwards to. */
    public Node target() {
        return target;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** The PID while running, else 0. */
    public long pid() {
        return PgBouncerProcess.runningPid(dir, pid);
    }

    public boolean isRunning() {
        return pid() > 0;
    }

    /** {@code dir/pgbouncer.log}. */
    public Path logFile() {
        return dir.resolve("pgbouncer.log");
    }

    /** The URL of {@code db} through this PgBouncer, user {@code postgres}; verified TLS on a TLS lab. */
    public DatabaseUrl url(String db) {
        return lab.clientUrl(DatabaseUrl.of(host(), port, db, "postgres", null));
    }

    /** A new connection to {@code db} through this PgBouncer, with pgjdbc's server-side prepared statements off. */
    public Connection connect(String db) {
        return Sql.connect(url(db).jdbcUrl() + "?user=postgres&prepareThreshold=0", name + " (" + host() + ":" + port + "/" + db + ")");
    }

    /** Starts it (no-op when running) and waits until it accepts connections. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        java.nio.file.Path bin = PgBouncerProcess.binary(lab.config().env());
        for (int attempt = 1; ; attempt++) {
            writeConf();
            try {
                pid = PgBouncerProcess.start(lab.serverUser(), bin, dir, port, START_TIMEOUT);
                lab.pgbouncerChanged();
                return;
            } catch (RunwayException e) {
                boolean portTaken = e.getMessage() != null && (e.getMessage().contains("bind") || e.getMessage().contains("in use"));
                if (!portTaken || attempt >= 5 || !lab.mayMovePorts()) {
                    throw e;
                }
                port = Ports.free(Set.of(port));
            }
        }
    }

    /** Immediate shutdown: every client connection is closed. */
    public synchronized void stop() {
        PgBouncerProcess.stop(dir, pid);
        pid = 0;
    }

    /** SIGKILL, like a crashed pooler. */
    public synchronized void kill() {
        long p = pid();
        if (p > 0) {
            Os.signal(p, "KILL");
            Os.awaitExit(p, Duration.ofSeconds(10));
        }
        pid = 0;
    }

    /**
     * Points it at another node (after a failover) and reloads (SIGHUP): new server connections go there;
     * PgBouncer closes the ones to the old node as they come back to the pool.
     */
    public synchronized void retarget(Node node) {
        target = node;
        writeConf();
        long p = pid();
        if (p > 0) {
            Os.signal(p, "HUP");
        }
    }

    private void writeConf() {
        LabTls tls = lab.tls();
        PgBouncerProcess.writeConf(dir, new PgBouncerProcess.Conf(port, target.port(), mode.ini(),
                tls == null ? null : tls.serverCert(), tls == null ? null : tls.serverKey(), tls == null ? null : tls.caCert()));
        lab.serverUser().own(dir);
    }

    @Override
    public String toString() {
        return name + "@" + host() + ":" + port + " (" + mode.ini() + " pooling -> " + target.name() + ")";
    }
}
