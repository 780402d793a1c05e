package dev.runway.lab;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Postmaster;
import dev.runway.lab.internal.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One PostgreSQL server of a {@link Lab}: the primary or a streaming replica, on 127.0.0.1 with user
 * {@code postgres} and trust auth. Its port never changes for the life of the lab (also across
 * restarts of a persistent lab).
 *
 * <p>Thread-safe: lifecycle methods ({@link #stop}, {@link #start}, {@link #kill}, {@link #promote})
 * are serialized per node; queries open their own connection.
 */
public final class Node {
    /** Fast shutdown waits this long before escalating to an immediate shutdown. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Lab lab;
    private final String name;
    private final Path dataDir;
    private final Path logFile;
    private volatile int port;
    private volatile boolean primary;

    Node(Lab lab, String name, boolean primary, int port, Path dataDir, Path logFile) {
        this.lab = lab;
        this.name = name;
        this.primary = primary;
        this.port = port;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    /** {@code primary}, {@code replica1}, ... */
    public String name() {
        return name;
    }

    /** True for the lab's primary, and for a replica after {@link #promote()}. */
    public boolean isPrimary() {
        return primary;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    void port(int newPort) {
        this.port = newPort;
    }

    void primary(boolean isPrimary) {
        this.primary = isPrimary;
    }

    public Lab lab() {
        return lab;
    }

    /** The URL of {@code db} on this node: user {@code postgres}, no password. */
    public DatabaseUrl url(String db) {
        return lab.clientUrl(DatabaseUrl.of(host(), port, db, "postgres", null));
    }

    /** A pgjdbc URL with {@code user=postgres} included (trust auth, so nothing secret). */
    public String jdbcUrl(String db) {
        DatabaseUrl u = url(db);
        StringBuilder b = new StringBuilder(u.jdbcUrl()).append("?user=postgres");
        u.params().forEach((k, v) -> b.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return b.toString();
    }

    /** A new connection to {@code db}; the caller closes it. */
    public Connection connect(String db) {
        return Sql.connect(jdbcUrl(db), name + " (" + host() + ":" + port + "/" + db + ")");
    }

    /** {@code pg_current_wal_lsn()} of this (primary) node. */
    public Lsn currentWalLsn() {
        if (!primary) {
            throw RunwayException.usage(name + " is a replica: currentWalLsn() needs the primary (use replayLsn())");
        }
        return Lsn.parse(query("SELECT pg_current_wal_lsn()"));
    }

    /** {@code pg_last_wal_replay_lsn()} of this (replica) node; null on a primary that was never a replica. */
    public Lsn replayLsn() {
        String s = query("SELECT pg_last_wal_replay_lsn()");
        return s == null ? null : Lsn.parse(s);
    }

    /** True when this replica's WAL receiver is streaming from its upstream. */
    public boolean isStreaming() {
        if (!isRunning()) {
            return false;
        }
        return "streaming".equals(query("SELECT status FROM pg_stat_wal_receiver"));
    }

    /** True when the postmaster is alive. */
    public boolean isRunning() {
        return Postmaster.runningPid(dataDir) > 0;
    }

    /** The postmaster PID, or 0 when not running. */
    public long pid() {
        return Postmaster.runningPid(dataDir);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Fast shutdown (clients are disconnected); no-op when not running. */
    public synchronized void stop() {
        long pid = pid();
        if (pid > 0) {
            Postmaster.stop(pid, STOP_TIMEOUT);
        }
    }

    /**
     * Immediate shutdown (SIGQUIT): no shutdown checkpoint, so a later {@link #start()} runs crash recovery. For a
     * node whose data dir is deleted next ({@link Lab#destroy()}).
     */
    public synchronized void stopNow() {
        long pid = pid();
        if (pid > 0) {
            Postmaster.stopNow(pid);
        }
    }

    /**
     * Crashes the node: SIGKILL to the postmaster and all its children. The data dir is left as after
     * a power loss; {@link #start()} runs crash recovery.
     */
    public synchronized void kill() {
        long pid = pid();
        if (pid <= 0) {
            return;
        }
        List<ProcessHandle> children = ProcessHandle.of(pid).map(h -> h.descendants().collect(Collectors.toList()))
                .orElse(List.of());
        Os.signal(pid, "KILL");
        children.forEach(ProcessHandle::destroyForcibly);
        Os.awaitExit(pid, Duration.ofSeconds(10));
        for (ProcessHandle c : children) {
            Os.awaitExit(c.pid(), Duration.ofSeconds(10));
        }
    }

    /** Starts the node (no-op when running) and waits until it accepts connections. */
    public synchronized void start() {
        if (!isRunning()) {
            lab.startNode(this);
        }
    }

    /** Stops and starts the node. */
    public synchronized void restart() {
        stop();
        lab.startNode(this);
    }

    /**
     * Promotes this replica to a primary ({@code pg_promote}, waits up to 60 s). Afterwards
     * {@link Lab#primary()} is this node; the other replicas keep following the old primary.
     */
    public synchronized void promote() {
        if (primary) {
            throw RunwayException.usage(name + " is already a primary; promote() needs a replica");
        }
        if (!"t".equals(query("SELECT pg_promote(true, 60)"))) {
            throw new RunwayException(ErrorCode.TEMPORARY, name + ": pg_promote did not finish within 60 s (see " + logFile + ")");
        }
        lab.promoted(this);
    }

    /**
     * Changes the one-way latency of this replica's WAL stream at run time: adjusts its delay proxy, or
     * puts one in front of the primary and points {@code primary_conninfo} at it (reload, no restart).
     */
    public void setUpstreamDelay(Duration oneWay) {
        if (primary) {
            throw RunwayException.usage(name + " is a primary: setUpstreamDelay() needs a replica");
        }
        lab.upstreams().setDelay(this, oneWay);
    }

    /** The current one-way delay of this replica's WAL stream; zero when it connects to the primary directly. */
    public Duration upstreamDelay() {
        return lab.upstreams().delay(this);
    }

    /**
     * Makes this replica stream from {@code upstream} at run time: another replica (a cascaded standby,
     * which the primary's {@code pg_stat_replication} does not list) or the primary again. Creates a slot
     * for it on the upstream, repoints {@code primary_conninfo} (reload, no restart), waits up to 60 s
     * until the upstream streams to it, and drops its slot on the old upstream. Temp labs only: a
     * persistent lab's state file does not keep cascades.
     */
    public void streamFrom(Node upstream) {
        if (primary) {
            throw RunwayException.usage(name + " is a primary: streamFrom() needs a replica");
        }
        lab.upstreams().follow(this, upstream, Duration.ofSeconds(60));
    }

    /** The node this replica's WAL stream comes from: the primary, or another replica after {@link #streamFrom}. */
    public Node upstream() {
        return lab.upstreams().upstream(this);
    }

    /** Drops this replica's live WAL connection (through its proxy, else by terminating the walsender); it reconnects. */
    public void cutUpstream() {
        if (primary) {
            throw RunwayException.usage(name + " is a primary: cutUpstream() needs a replica");
        }
        lab.upstreams().cut(this);
    }

    /** First column of the first row of {@code sql} on database postgres. */
    String query(String sql) {
        try (Connection c = connect("postgres")) {
            return Sql.one(c, sql);
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, name + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name + "@" + host() + ":" + port;
    }
}
