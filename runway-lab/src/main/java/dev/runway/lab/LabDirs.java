package dev.runway.lab;

import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Dirs;
import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Ports;
import dev.runway.lab.internal.Postmaster;
import dev.runway.lab.internal.ProxyProcess;
import dev.runway.lab.internal.ServerUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Persistent labs: checks on the dir, cold or warm start, and the state to record. Stateless. */
final class LabDirs {
    private LabDirs() {
    }

    /** A dir owned by another user is refused: its servers and files are not ours to manage. */
    static void checkOwner(Path dir) {
        if (Files.exists(dir)) {
            int uid = Dirs.ownerUid(dir);
            int me = Os.uid();
            if (uid != me) {
                throw RunwayException.usage("lab dir " + dir + " is owned by " + Dirs.ownerName(dir) + " (uid " + uid
                        + "), not by this user (uid " + me + "); use a dir of your own (--dir)");
            }
        }
    }

    static Lab startPersistent(LabConfig cfg) {
        Path dir = cfg.dir();
        checkOwner(dir);
        if (LabState.exists(dir)) {
            return warmStart(cfg, LabState.load(dir));
        }
        PgBinaries bins = PgBinaries.resolve(cfg.pgVersion(), cfg.env(), cfg.cacheDir());
        ServerUser as = ServerUser.resolve(cfg.env());
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw RunwayException.usage(dir + " is not empty and holds no lab; use an empty or new dir");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw RunwayException.usage("cannot create lab dir " + dir + ": " + e.getMessage());
        }
        as.openDir(dir);
        Map<String, Integer> ports = Lab.layout(cfg.replicas());
        LabState st = new LabState(bins.version(), bins.binDir(), "primary", ports, Map.of(), Map.of(), 0, as.user(), cfg.tls(),
                cfg.pgbouncer() == null ? null : cfg.pgbouncer().ini(), 0, 0);
        st.save(dir);
        return Lab.persistent(cfg, bins, as, ports, "primary", st, false).createOrDestroy();
    }

    private static Lab warmStart(LabConfig cfg, LabState st) {
        Path dir = cfg.dir();
        for (String node : st.ports().keySet()) {
            if (Postmaster.runningPid(dir.resolve(node)) > 0) {
                throw RunwayException.usage("lab already running in " + dir + " (runway lab down first)");
            }
        }
        int replicas = st.ports().size() - 1;
        if (cfg.replicas() != replicas) {
            throw RunwayException.usage("the lab in " + dir + " has " + replicas + " replicas, not " + cfg.replicas()
                    + " (ask for " + replicas + ", or runway lab down --destroy first)");
        }
        PgBinaries bins = new PgBinaries(st.binDir(), st.version());
        if (cfg.pgVersion() != null && !cfg.pgVersion().equals(bins.major())) {
            throw RunwayException.usage("the lab in " + dir + " runs PostgreSQL " + st.version() + ", not " + cfg.pgVersion()
                    + " (runway lab down --destroy first)");
        }
        if (!Files.isExecutable(bins.postgres())) {
            throw RunwayException.usage("the lab in " + dir + " was made with " + st.binDir() + ", which is gone "
                    + "(runway lab down --destroy and up again)");
        }
        if (st.proxyPid() > 0) {
            ProxyProcess.stop(st.proxyPid(), dir);
        }
        if (st.pgbouncerPid() > 0) {
            dev.runway.lab.internal.PgBouncerProcess.stop(dir.resolve(Lab.PGBOUNCER), st.pgbouncerPid());
        }
        Map<String, Integer> up = new LinkedHashMap<>();
        st.upstreamPorts().forEach((n, p) -> {
            if (cfg.delays().containsKey(n)) {
                up.put(n, p);
            }
        });
        String mode = cfg.pgbouncer() != null ? cfg.pgbouncer().ini() : st.poolMode();
        LabState fresh = new LabState(st.version(), st.binDir(), st.primary(), st.ports(), up, cfg.delays(), 0, st.runAs(), st.tls(),
                mode, st.pgbouncerPort(), 0);
        Lab lab = Lab.persistent(cfg, bins, ServerUser.of(st.runAs()), st.ports(), st.primary(), fresh, true);
        try {
            LabBoot.boot(lab);
            return lab;
        } catch (RuntimeException e) {
            try {
                lab.stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The state to record now: node ports, current primary, one proxy port per delayed replica. */
    static LabState stateOf(Lab lab, long proxyPid) {
        LabState old = lab.state();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Set<Integer> used = new HashSet<>();
        for (Node n : lab.nodes()) {
            ports.put(n.name(), n.port());
            used.add(n.port());
        }
        used.addAll(old.upstreamPorts().values());
        Map<String, Integer> up = new LinkedHashMap<>();
        Map<String, Duration> delays = new LinkedHashMap<>();
        Set<String> delayed = new java.util.LinkedHashSet<>(old.upstreamPorts().keySet());
        delayed.addAll(lab.config().delays().keySet());
        for (String n : delayed) {
            Integer port = old.upstreamPorts().get(n);
            if (port == null) {
                port = Ports.free(used);
                used.add(port);
            }
            up.put(n, port);
            delays.put(n, old.delays().containsKey(n) ? old.delays().get(n) : lab.config().delayOf(n));
        }
        PgBouncer b = lab.configuredPgBouncer();
        return new LabState(lab.version(), lab.binaries().binDir(), lab.primary().name(), ports, up, delays, proxyPid,
                lab.serverUser().user(), lab.tls() != null, b == null ? old.poolMode() : b.mode().ini(),
                b == null ? old.pgbouncerPort() : b.port(), b == null ? 0 : b.pid());
    }

    static LabState withDelay(LabState st, String node, Duration d) {
        Map<String, Duration> delays = new LinkedHashMap<>(st.delays());
        delays.put(node, d);
        return new LabState(st.version(), st.binDir(), st.primary(), st.ports(), st.upstreamPorts(), delays, st.proxyPid(),
                st.runAs(), st.tls(), st.poolMode(), st.pgbouncerPort(), st.pgbouncerPid());
    }
}
