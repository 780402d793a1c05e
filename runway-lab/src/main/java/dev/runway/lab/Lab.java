package dev.runway.lab;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lab.internal.Cleanup;
import dev.runway.lab.internal.Dirs;
import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Parallel;
import dev.runway.lab.internal.Ports;
import dev.runway.lab.internal.ProxyProcess;
import dev.runway.lab.internal.ServerUser;
import dev.runway.lab.internal.Sql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local PostgreSQL cluster on 127.0.0.1: a primary and 0..8 streaming replicas (physical slots,
 * hot standby, user {@code postgres}, trust auth), with optional WAL-stream latency per replica
 * through a {@link DelayProxy}.
 *
 * <p>A lab lives in a temp dir (under {@code RUNWAY_LAB_TMPDIR}, else {@code java.io.tmpdir} when its
 * path is short, else {@code /tmp}), deleted on {@link #close()}; a shutdown hook and a detached
 * watchdog make sure no server outlives the JVM, even after kill -9. Or it lives in a persistent dir
 * that another process can {@link #open(Path) attach to}: the state file {@code lab.properties}
 * keeps ports and delays across restarts, and delays are served by a detached {@link ProxyMain}.
 *
 * <p>Servers run with fsync and full_page_writes off: a lab survives kill -9 of a server, not a
 * machine crash. Thread-safe; lifecycle calls on one node are serialized by that node.
 */
public final class Lab implements AutoCloseable {
    /** The directory (in the lab dir) of the PgBouncer the configuration asks for. */
    public static final String PGBOUNCER = "pgbouncer";
    private final LabConfig config;
    private final Path dir;
    private final boolean temp;
    private final boolean owner;
    private final PgBinaries bins;
    private final ServerUser serverUser;
    private final List<Node> nodes = new ArrayList<>();
    private final Upstreams upstreams = new Upstreams(this);
    private final List<DelayProxy> clientProxies = new CopyOnWriteArrayList<>();
    private final Bouncers bouncers = new Bouncers(this);
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private volatile LabTls tls;
    private volatile DelayProxy primaryService;
    private volatile Node primary;
    private volatile LabState state;
    private volatile boolean created;
    private volatile boolean fixedPorts;
    private volatile Process watchdog;

    private Lab(LabConfig config, Path dir, boolean temp, boolean owner, PgBinaries bins, ServerUser serverUser,
                Map<String, Integer> ports, String primaryName) {
        this.config = config;
        this.dir = dir;
        this.temp = temp;
        this.owner = owner;
        this.bins = bins;
        this.serverUser = serverUser;
        ports.forEach((name, port) -> {
            Node n = new Node(this, name, name.equals(primaryName), port, dir.resolve(name), dir.resolve(name + ".log"));
            nodes.add(n);
            if (n.isPrimary()) {
                primary = n;
            }
        });
    }

    /**
     * Starts a lab: a new one, or (persistent dir holding a stopped lab) that one again, on its ports.
     *
     * @throws RunwayException USAGE for bad config, missing binaries, a dir owned by someone else, a
     *                         lab already running there or a stored port taken; TEMPORARY when a
     *                         server does not come up in time
     */
    public static Lab start(LabConfig config) {
        if (config.dir() != null) {
            return LabDirs.startPersistent(config);
        }
        PgBinaries bins = PgBinaries.resolve(config.pgVersion(), config.env(), config.cacheDir());
        ServerUser as = ServerUser.resolve(config.env());
        Path dir;
        try {
            dir = Files.createTempDirectory(tempBase(config.env()), "runway-lab-");
        } catch (IOException e) {
            throw RunwayException.usage("cannot create a temp lab dir: " + e.getMessage() + " (set RUNWAY_LAB_TMPDIR)");
        }
        Lab lab = new Lab(config, dir, true, true, bins, as, layout(config.replicas()), "primary");
        Cleanup.register(lab);
        lab.watchdog = Cleanup.spawnWatchdog(dir);
        try {
            as.openDir(dir);
        } catch (RuntimeException e) {
            lab.destroy();
            throw e;
        }
        return lab.createOrDestroy();
    }

    /** Short base paths keep unix socket paths under their 107-byte limit. */
    private static Path tempBase(Map<String, String> env) {
        String configured = env.get("RUNWAY_LAB_TMPDIR");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isDirectory(p)) {
                throw RunwayException.usage("RUNWAY_LAB_TMPDIR=" + configured + " is not a directory");
            }
            return p;
        }
        String tmp = System.getProperty("java.io.tmpdir");
        return tmp.length() <= 40 && Files.isDirectory(Path.of(tmp)) ? Path.of(tmp) : Path.of("/tmp");
    }

    /**
     * Attaches to a persistent lab started earlier, possibly by another process. The handle does not
     * own the servers: {@link #close()} releases only proxies this handle started; {@link #stop()}
     * ({@code runway lab down}) or {@link #destroy()} end the lab.
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
        LabConfig cfg = LabConfig.builder().replicas(st.ports().size() - 1).dir(abs).tls(st.tls())
                .pgbouncer(st.poolMode() == null ? null : PoolMode.parse(st.poolMode(), LabState.FILE)).build();
        Lab lab = new Lab(cfg, abs, false, false, new PgBinaries(st.binDir(), st.version()), ServerUser.of(st.runAs()), st.ports(),
                st.primary());
        lab.state = st;
        lab.created = true;
        lab.restore(st);
        return lab;
    }

    static Lab persistent(LabConfig config, PgBinaries bins, ServerUser as, Map<String, Integer> ports, String primaryName,
                          LabState st, boolean warm) {
        Lab lab = new Lab(config, config.dir(), false, true, bins, as, ports, primaryName);
        lab.state = st;
        lab.fixedPorts = warm;
        lab.restore(st);
        return lab;
    }

    /** TLS files and the PgBouncer handle recorded in a persistent lab's state. */
    private void restore(LabState st) {
        if (st.tls() && Files.isRegularFile(LabTls.in(dir.resolve("tls")).caCert())) {
            tls = LabTls.in(dir.resolve("tls"));
        }
        bouncers.restore(st);
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

    Lab createOrDestroy() {
        try {
            LabBoot.create(this);
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

    /** Called by {@link LabBoot} for a new lab before any server starts: the throw-away CA when TLS is asked for. */
    void makeTls() {
        if (config.tls() && tls == null) {
            tls = LabTls.create(dir.resolve("tls"));
            serverUser.own(dir.resolve("tls"));
        }
    }

    /** Called by {@link LabBoot} once every replica streams: the configured PgBouncer, if any. */
    void startConfiguredPgBouncer() {
        String mode = state != null ? state.poolMode() : config.pgbouncer() == null ? null : config.pgbouncer().ini();
        bouncers.startConfigured(mode, state != null ? state.pgbouncerPort() : 0);
    }

    /** Called by {@link LabBoot} once every replica streams. */
    void created() {
        created = true;
        if (state != null) {
            saveState(LabDirs.stateOf(this, state.proxyPid()));
        }
    }

    /** Ports may move (a free port was taken meanwhile) only while a new lab is being created. */
    boolean mayMovePorts() {
        return !created && !fixedPorts;
    }

    LabState state() {
        return state;
    }

    void saveState(LabState st) {
        state = st;
        st.save(dir);
    }

    Upstreams upstreams() {
        return upstreams;
    }

    void startNode(Node n) {
        LabBoot.startNode(this, n);
    }

    /** The node that is currently the primary. */
    public Node primary() {
        return primary;
    }

    /** The nodes other than the current primary, in name order. */
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
        List<String> names = new ArrayList<>();
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
            names.add(n.name());
        }
        throw RunwayException.usage("no node '" + name + "' in this lab (nodes: " + String.join(", ", names) + ")");
    }

    /** The lab's TLS files, or null when the servers run without TLS. */
    public LabTls tls() {
        return tls;
    }

    /** {@code url} as clients of this lab should use it: with {@code sslmode=verify-full} and the CA on a TLS lab. */
    public DatabaseUrl clientUrl(DatabaseUrl url) {
        LabTls t = tls;
        return t == null ? url : t.verified(url);
    }

    /**
     * The PgBouncer the configuration asked for ({@code lab up --pgbouncer MODE}), in front of the primary.
     *
     * @throws RunwayException USAGE when the lab has none
     */
    public PgBouncer pgbouncer() {
        return bouncers.requireConfigured();
    }

    /** A PgBouncer in front of {@code target} with {@code mode}: the one already running, else a new one; stopped with the lab. */
    public PgBouncer pgbouncer(Node target, PoolMode mode) {
        return bouncers.get(target, mode);
    }

    /** The configured PgBouncer, or null. */
    PgBouncer configuredPgBouncer() {
        return bouncers.configured();
    }

    /** A PgBouncer started or stopped: a persistent lab records its PID. */
    void pgbouncerChanged() {
        if (state != null && created) {
            saveState(LabDirs.stateOf(this, state.proxyPid()));
        }
    }

    /**
     * The primary's service address: a TCP proxy on its own port that forwards to whichever node is the
     * primary, cutting its open connections when a promotion makes another node the primary. It is what
     * Fly's {@code <db-app>.flycast:5432} (or {@code .internal:5432}) is to an app: a name that stays while
     * HAProxy on the database machines routes it to the current leader. Started on first use, in this JVM;
     * closed with the lab.
     */
    public synchronized DelayProxy primaryService() {
        if (primaryService == null) {
            primaryService = DelayProxy.start(primary.host(), primary.port(), Duration.ZERO);
            clientProxies.add(primaryService);
        }
        return primaryService;
    }

    /**
     * A failover as a database platform does it: the primary is killed (SIGKILL), the running replica that
     * has replayed the most WAL is promoted, and every other running replica follows it (a replication slot
     * on the new primary, {@code primary_conninfo} reloaded). The service address and the lab's PgBouncer
     * move to the new primary.
     *
     * @return the new primary
     * @throws RunwayException USAGE when no replica is running
     */
    public synchronized Node failover() {
        return Failover.run(this);
    }

    /** The exact server version, e.g. {@code 15.18}. */
    public String version() {
        return bins.version();
    }

    public PgBinaries binaries() {
        return bins;
    }

    ServerUser serverUser() {
        return serverUser;
    }

    /** How many ready-made data dir copies to keep per template: {@code RUNWAY_LAB_SPARES}, default 3 (0 = off). */
    int spares() {
        String v = config.env().get("RUNWAY_LAB_SPARES");
        if (v == null || v.isBlank()) {
            return 3;
        }
        try {
            return Math.max(0, Math.min(16, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            throw RunwayException.usage("RUNWAY_LAB_SPARES=" + v + " is not a number (0 turns spares off)");
        }
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

    /** One record per node, original primary first. Never throws for a stopped node. */
    public List<NodeStatus> status() {
        return LabStatus.of(this);
    }

    /** Creates {@code name} on the primary and waits until every running replica has replayed it. */
    public void createDatabase(String name) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw RunwayException.usage("database name '" + name + "' must be 1..63 bytes");
        }
        onPrimary("CREATE DATABASE " + PgSession.ident(name));
    }

    /** Drops {@code name} on the primary (ending its sessions) and waits until every running replica has replayed it. */
    public void dropDatabase(String name) {
        onPrimary("DROP DATABASE IF EXISTS " + PgSession.ident(name) + " WITH (FORCE)");
    }

    private void onPrimary(String sql) {
        try (Connection c = primary.connect("postgres")) {
            Sql.exec(c, sql);
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.USAGE, sql + " on " + primary + " failed: " + e.getMessage(), e);
        }
        waitForReplay(primary.currentWalLsn(), LabBoot.STREAM_TIMEOUT);
    }

    /**
     * Waits until every running replica has replayed {@code target}. Nodes out of recovery (the old
     * primary after a promotion) are skipped; replicas still following an old primary time out.
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
                    boolean inRecovery;
                    try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()")) {
                        rs.next();
                        inRecovery = rs.getBoolean(1);
                        if (rs.getString(2) != null) {
                            at = Lsn.parse(rs.getString(2));
                        }
                    }
                    if (!inRecovery || at != null && at.reached(target)) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new RunwayException(ErrorCode.TEMPORARY, r.name() + " replayed up to " + at + ", not " + target
                                + ", within " + timeout.toMillis() + " ms (" + (at == null ? "?" : target.minus(at))
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

    void promoted(Node n) {
        primary.primary(false);
        n.primary(true);
        primary = n;
        DelayProxy service = primaryService;
        if (service != null) {
            service.retarget(n.host(), n.port());
            service.cutConnections();
        }
        bouncers.promoted(n);
        if (state != null) {
            saveState(LabDirs.stateOf(this, state.proxyPid()));
        }
    }

    /** Stops every server and proxy; keeps the dir (a persistent lab can be started again). Idempotent. */
    public void stop() {
        stop(false);
    }

    /** {@code now}: immediate shutdown, no shutdown checkpoint (the dir is deleted next). */
    private void stop(boolean now) {
        RuntimeException first = null;
        try {
            Parallel.run(nodes, now ? Node::stopNow : Node::stop);
        } catch (RuntimeException e) {
            first = e;
        }
        closeProxies();
        RuntimeException bouncer = bouncers.stopAll();
        if (first == null) {
            first = bouncer;
        } else if (bouncer != null) {
            first.addSuppressed(bouncer);
        }
        if (state != null && state.pgbouncerPid() > 0 && Files.isDirectory(dir)) {
            saveState(state.withPgBouncer(state.poolMode(), state.pgbouncerPort(), 0));
        }
        if (state != null && state.proxyPid() > 0) {
            ProxyProcess.stop(state.proxyPid(), dir);
            if (Files.isDirectory(dir)) {
                saveState(state.withProxyPid(0));
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Stops everything and deletes the lab dir. The servers get an immediate shutdown: a shutdown checkpoint would
     * write pages that are deleted right after.
     */
    public void destroy() {
        try {
            stop(true);
        } finally {
            destroyed.set(true);
            Dirs.deleteTree(dir);
            if (watchdog != null) {
                watchdog.destroy();
            }
            Cleanup.unregister(this);
        }
    }

    /**
     * Temp lab: stops everything and deletes the dir. Persistent lab started by this handle: stops the
     * servers and keeps the dir. Handle from {@link #open}: closes only proxies this handle started.
     */
    @Override
    public void close() {
        if (temp) {
            if (!destroyed.get()) {
                destroy();
            }
        } else if (owner) {
            stop();
        } else {
            closeProxies();
        }
    }

    private void closeProxies() {
        upstreams.closeAll();
        clientProxies.forEach(DelayProxy::close);
        clientProxies.clear();
        primaryService = null;
    }

    @Override
    public String toString() {
        return "Lab[" + dir + ", PostgreSQL " + bins.version() + ", " + nodes + "]";
    }
}
