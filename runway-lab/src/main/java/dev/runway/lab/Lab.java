package dev.runway.lab;

import dev.runway.core.ErrorCode;
import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Cleanup;
import dev.runway.lab.internal.Dirs;
import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.NodeConf;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Parallel;
import dev.runway.lab.internal.Ports;
import dev.runway.lab.internal.Postmaster;
import dev.runway.lab.internal.ProxyProcess;
import dev.runway.lab.internal.Sql;
import dev.runway.lab.internal.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local PostgreSQL cluster on 127.0.0.1: a primary and 0..8 streaming replicas (physical slots,
 * hot standby), with optional WAL-stream latency per replica through a {@link DelayProxy}.
 *
 * <p>A lab lives in a temp dir (deleted on {@link #close()}; a shutdown hook and a detached watchdog
 * make sure no server outlives the JVM) or in a persistent dir that another process can
 * {@link #open(Path) attach to}; there the state file {@code lab.properties} keeps ports and delays
 * across restarts, and delays are served by a detached {@link ProxyMain} process.
 *
 * <p>Thread-safe. Lifecycle calls on one node are serialized by that node.
 */
public final class Lab implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

    private final LabConfig config;
    private final Path dir;
    private final boolean temp;
    private final boolean owner;
    private final PgBinaries bins;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, DelayProxy> upstream = new ConcurrentHashMap<>();
    private final List<DelayProxy> clientProxies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Node primary;
    private volatile LabState state;
    private volatile boolean created;
    private volatile boolean fixedPorts;
    private volatile Process watchdog;

    private Lab(LabConfig config, Path dir, boolean temp, boolean owner, PgBinaries bins, Map<String, Integer> ports, String primaryName) {
        this.config = config;
        this.dir = dir;
        this.temp = temp;
        this.owner = owner;
        this.bins = bins;
        ports.forEach((name, port) -> {
            Node n = new Node(this, name, name.equals(primaryName), port, dir.resolve(name), dir.resolve(name + ".log"));
            nodes.add(n);
            if (n.isPrimary()) {
                primary = n;
            }
        });
    }

    /**
     * Starts a lab: a new one, or (persistent dir with a stopped lab) the existing one, keeping its ports.
     *
     * @throws RunwayException USAGE for bad config, missing binaries, a dir owned by someone else or a
     *                         lab already running there; TEMPORARY when a server does not come up in time
     */
    public static Lab start(LabConfig config) {
        if (config.dir() == null) {
            PgBinaries bins = PgBinaries.resolve(config.pgVersion(), config.env(), config.cacheDir());
            Path dir;
            try {
                dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")).toString().length() > 40
                        ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir")), "runway-lab-");
            } catch (IOException e) {
                throw RunwayException.usage("cannot create a temp lab dir: " + e.getMessage());
            }
            Lab lab = new Lab(config, dir, true, true, bins, layout(config.replicas()), "primary");
            Cleanup.register(lab);
            lab.watchdog = Cleanup.spawnWatchdog(dir);
            return lab.createOrClose();
        }
        return LabDirs.startPersistent(config);
    }

    /**
     * Attaches to a persistent lab started earlier, possibly by another process. The handle does not
     * own the servers: {@link #close()} releases only what this handle started; use {@link #stop()} or
     * {@link #destroy()} to end the lab.
     *
     * @throws RunwayException USAGE "no lab in DIR" when there is none
     */
    public static Lab open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        LabDirs.checkOwner(abs);
        if (!LabState.exists(abs)) {
            throw RunwayException.usage("no lab in " + abs + " (start one with runway lab up --dir " + abs + ")");
        }
        LabState st = LabState.load(abs);
        LabConfig cfg = LabConfig.builder().replicas(st.ports().size() - 1).dir(abs).build();
        Lab lab = new Lab(cfg, abs, false, false, new PgBinaries(st.binDir(), st.version()), st.ports(), st.primary());
        lab.state = st;
        lab.created = true;
        return lab;
    }

    static Lab persistent(LabConfig config, PgBinaries bins, Map<String, Integer> ports, String primaryName, LabState st,
                          boolean warm) {
        Lab lab = new Lab(config, config.dir(), false, true, bins, ports, primaryName);
        lab.state = st;
        lab.fixedPorts = warm;
        return lab;
    }

    static Map<String, Integer> layout(int replicas) {
        int[] ports = Ports.free(replicas + 1);
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("primary", ports[0]);
        for (int i = 1; i <= replicas; i++) {
            m.put("replica" + i, ports[i]);
        }
        return m;
    }

    Lab createOrClose() {
        try {
            create();
            return this;
        } catch (RuntimeException e) {
            try {
                destroy();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Builds the data dirs (copies of one initdb'd template, so each replica is a cold copy of the primary) and starts. */
    void create() {
        Path tmpl = null;
        try {
            tmpl = Template.ensure(bins, config.cacheDir());
        } catch (IOException | RunwayException e) {
            Template.initdb(bins, primary.dataDir());
        }
        Path source = tmpl != null ? tmpl : primary.dataDir();
        Parallel.run(nodes, n -> {
            if (n != primary || source != primary.dataDir()) {
                Dirs.copy(source, n.dataDir());
            }
        });
        for (Node n : replicas()) {
            NodeConf.standby(n.dataDir());
        }
        bootAll();
    }

    /** Starts primary, slots, upstream proxies, replicas; waits until all replicas stream. Also the warm start. */
    void bootAll() {
        writeConf(primary);
        startNode(primary);
        try (Connection c = primary.connect("postgres")) {
            Set<String> slots = new HashSet<>(Sql.column(c, "SELECT slot_name FROM pg_replication_slots"));
            for (Node r : replicas()) {
                if (!slots.contains(r.name())) {
                    Sql.exec(c, "SELECT pg_create_physical_replication_slot(" + Sql.literal(r.name()) + ", true)");
                }
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot create replication slots on " + primary + ": " + e.getMessage(), e);
        }
        startUpstreamProxies();
        Parallel.run(replicas(), n -> {
            writeConf(n);
            startNode(n);
        });
        awaitStreaming(replicas(), STREAM_TIMEOUT);
        created = true;
        if (state != null) {
            state = LabDirs.stateOf(this, state.proxyPid());
            state.save(dir);
        }
    }

    private void startUpstreamProxies() {
        if (temp || state == null) {
            for (Node r : replicas()) {
                if (config.delays().containsKey(r.name())) {
                    upstream.put(r.name(), DelayProxy.start("127.0.0.1", primary.port(), config.delayOf(r.name())));
                }
            }
            return;
        }
        state = LabDirs.stateOf(this, 0);
        state.save(dir);
        if (!state.upstreamPorts().isEmpty()) {
            long pid = ProxyProcess.spawn(dir, state);
            state = state.withProxyPid(pid);
            state.save(dir);
        }
    }

    /** The port a replica's WAL stream connects to: its proxy's, else the primary's. */
    int upstreamPort(Node replica) {
        DelayProxy p = upstream.get(replica.name());
        if (p != null) {
            return p.port();
        }
        if (state != null && state.upstreamPorts().containsKey(replica.name())) {
            return state.upstreamPorts().get(replica.name());
        }
        return primary.port();
    }

    void writeConf(Node n) {
        NodeConf.write(n.dataDir(), n.name(), n.port(), dir, n.isPrimary() ? 0 : upstreamPort(n));
    }

    /** Starts one node; while the lab is being created a port taken meanwhile is replaced by another. */
    void startNode(Node n) {
        for (int attempt = 1; ; attempt++) {
            try {
                Postmaster.start(bins.postgres(), n.dataDir(), n.logFile(), n.port(), START_TIMEOUT);
                return;
            } catch (Postmaster.PortInUseException e) {
                if (created || fixedPorts || attempt >= 5) {
                    throw e;
                }
                Set<Integer> used = new HashSet<>();
                nodes.forEach(x -> used.add(x.port()));
                n.port(Ports.free(used));
                writeConf(n);
            } catch (RunwayException e) {
                // after kill(), the old shared memory segment may linger for a moment
                if (attempt >= 20 || e.getMessage() == null || !e.getMessage().contains("shared memory")) {
                    throw e;
                }
                Os.sleep(250);
            }
        }
    }

    void awaitStreaming(List<Node> replicas, Duration timeout) {
        if (replicas.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> want = new HashSet<>();
        replicas.forEach(r -> want.add(r.name()));
        try (Connection c = primary.connect("postgres")) {
            while (true) {
                Set<String> streaming = new HashSet<>(Sql.column(c,
                        "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'"));
                if (streaming.containsAll(want)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    want.removeAll(streaming);
                    throw new RunwayException(ErrorCode.TEMPORARY, "replicas " + want + " not streaming from " + primary + " after "
                            + timeout.toMillis() + " ms (see their logs in " + dir + ")");
                }
                Os.sleep(5);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot read pg_stat_replication on " + primary + ": " + e.getMessage(), e);
        }
    }

    /** The node that is currently the primary. */
    public Node primary() {
        return primary;
    }

    /** The nodes that are not the primary, in name order. */
    public List<Node> replicas() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n != primary) {
                out.add(n);
            }
        }
        return out;
    }

    /** All nodes, the original primary first. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** @throws RunwayException USAGE naming the node when there is none by that name */
    public Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        List<String> names = new ArrayList<>();
        nodes.forEach(n -> names.add(n.name()));
        throw RunwayException.usage("no node '" + name + "' in this lab (nodes: " + String.join(", ", names) + ")");
    }

    /** The exact server version, e.g. {@code 15.18}. */
    public String version() {
        return bins.version();
    }

    public PgBinaries binaries() {
        return bins;
    }

    public LabConfig config() {
        return config;
    }

    /** The lab dir (temp or persistent). */
    public Path dir() {
        return dir;
    }

    public boolean isPersistent() {
        return !temp;
    }

    /** One record per node, primary first. Never throws for a stopped node. */
    public List<NodeStatus> status() {
        return LabStatus.of(this);
    }

    /** Creates {@code name} on the primary and waits until every running replica has replayed it. */
    public void createDatabase(String name) {
        if (name == null || name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
            throw RunwayException.usage("database name '" + name + "' must be 1..63 bytes");
        }
        try (Connection c = primary.connect("postgres")) {
            Sql.exec(c, "CREATE DATABASE " + Sql.ident(name));
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.USAGE, "CREATE DATABASE " + name + " on " + primary + " failed: " + e.getMessage(), e);
        }
        waitForReplay(primary.currentWalLsn(), STREAM_TIMEOUT);
    }

    /** Drops {@code name} on the primary (terminating its sessions) and waits for the replicas. */
    public void dropDatabase(String name) {
        try (Connection c = primary.connect("postgres")) {
            Sql.exec(c, "DROP DATABASE IF EXISTS " + Sql.ident(name) + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.USAGE, "DROP DATABASE " + name + " on " + primary + " failed: " + e.getMessage(), e);
        }
        waitForReplay(primary.currentWalLsn(), STREAM_TIMEOUT);
    }

    /**
     * Waits until every running replica has replayed {@code target}.
     *
     * @throws RunwayException TEMPORARY naming the replica, its position and the lag when time runs out
     */
    public void waitForReplay(Lsn target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Node r : replicas()) {
            if (!r.isRunning()) {
                continue;
            }
            try (Connection c = r.connect("postgres"); Statement st = c.createStatement()) {
                while (true) {
                    Lsn at = null;
                    try (ResultSet rs = st.executeQuery("SELECT pg_last_wal_replay_lsn()")) {
                        if (rs.next() && rs.getString(1) != null) {
                            at = Lsn.parse(rs.getString(1));
                        }
                    }
                    if (at != null && at.reached(target)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new RunwayException(ErrorCode.TEMPORARY, r.name() + " replayed up to " + at + " but not " + target
                                + " within " + timeout.toMillis() + " ms (" + (at == null ? "?" : target.minus(at))
                                + " bytes behind); is it streaming? see " + r.logFile());
                    }
                    Os.sleep(1);
                }
            } catch (SQLException e) {
                throw new RunwayException(ErrorCode.TEMPORARY, "cannot read the replay position of " + r + ": " + e.getMessage(), e);
            }
        }
    }

    /** A delay proxy in front of {@code target}'s client port (app -> db latency); closed with the lab. */
    public DelayProxy proxy(Node target, Duration oneWay) {
        DelayProxy p = DelayProxy.start(target.host(), target.port(), oneWay);
        clientProxies.add(p);
        return p;
    }

    void setUpstreamDelay(Node replica, Duration oneWay) {
        DelayProxy p = upstream.get(replica.name());
        if (p != null) {
            p.setDelay(oneWay);
            return;
        }
        if (state != null && state.upstreamPorts().containsKey(replica.name())) {
            state = LabDirs.withDelay(state, replica.name(), oneWay);
            state.save(dir);
            ProxyProcess.awaitApplied(dir, state);
            return;
        }
        p = DelayProxy.start("127.0.0.1", primary.port(), oneWay);
        upstream.put(replica.name(), p);
        writeConf(replica);
        replica.query("SELECT pg_reload_conf()");
    }

    Duration upstreamDelay(Node replica) {
        DelayProxy p = upstream.get(replica.name());
        if (p != null) {
            return p.delay();
        }
        if (state != null && state.upstreamPorts().containsKey(replica.name())) {
            return state.delays().getOrDefault(replica.name(), Duration.ZERO);
        }
        return Duration.ZERO;
    }

    void cutUpstream(Node replica) {
        DelayProxy p = upstream.get(replica.name());
        if (p != null) {
            p.cutConnections();
            return;
        }
        primary.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_replication WHERE application_name = "
                + Sql.literal(replica.name()));
    }

    void promoted(Node n) {
        Node old = primary;
        old.primary(false);
        n.primary(true);
        primary = n;
        if (state != null) {
            state = LabDirs.stateOf(this, state.proxyPid());
            state.save(dir);
        }
    }

    Map<String, DelayProxy> upstreamProxies() {
        return upstream;
    }

    LabState state() {
        return state;
    }

    /** Stops every server and proxy; keeps the dir (a persistent lab can be started again). Idempotent. */
    public void stop() {
        RuntimeException first = null;
        try {
            Parallel.run(nodes, Node::stop);
        } catch (RuntimeException e) {
            first = e;
        }
        closeProxies();
        if (state != null && state.proxyPid() > 0) {
            ProxyProcess.stop(state.proxyPid(), dir);
            state = state.withProxyPid(0);
            if (Files.isDirectory(dir)) {
                state.save(dir);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Stops everything and deletes the lab dir. */
    public void destroy() {
        try {
            stop();
        } finally {
            closed.set(true);
            Dirs.deleteTree(dir);
            if (watchdog != null) {
                watchdog.destroy();
            }
            Cleanup.unregister(this);
        }
    }

    /**
     * Temp lab: stops everything and deletes the dir. Persistent lab started by this handle: stops the
     * servers, keeps the dir. Handle from {@link #open}: closes only proxies this handle started.
     */
    @Override
    public void close() {
        if (temp) {
            if (!closed.get()) {
                destroy();
            }
        } else if (owner) {
            stop();
        } else {
            closeProxies();
        }
    }

    private void closeProxies() {
        upstream.values().forEach(DelayProxy::close);
        upstream.clear();
        clientProxies.forEach(DelayProxy::close);
        clientProxies.clear();
    }

    @Override
    public String toString() {
        return "Lab[" + dir + ", PostgreSQL " + bins.version() + ", " + nodes + "]";
    }
}
