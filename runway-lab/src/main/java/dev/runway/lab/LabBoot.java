package dev.runway.lab;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lab.internal.Dirs;
import dev.runway.lab.internal.NodeConf;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.Parallel;
import dev.runway.lab.internal.Ports;
import dev.runway.lab.internal.Postmaster;
import dev.runway.lab.internal.Spares;
import dev.runway.lab.internal.Sql;
import dev.runway.lab.internal.Template;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bringing a lab up: data dirs from the template (each replica a cold copy of the primary), the
 * primary, its replication slots, the WAL-stream proxies, the replicas in parallel, then a wait until
 * every replica streams. Stateless; the lab carries the state.
 */
final class LabBoot {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

    private LabBoot() {
    }

    /**
     * A new lab: copies of one initdb'd template (ready-made spares when there are, see {@link Spares}),
     * or of the freshly initdb'd primary when the cache is unusable; then {@link #boot}.
     */
    static void create(Lab lab) {
        Node primary = lab.primary();
        Path tmpl;
        try {
            tmpl = Template.ensure(lab.binaries(), lab.serverUser(), lab.config().cacheDir());
        } catch (IOException | RunwayException e) {
            // cache not writable: initdb the primary directly and copy it, still never started
            if (lab.serverUser().switches()) {
                try {
                    java.nio.file.Files.createDirectories(primary.dataDir());
                } catch (IOException io) {
                    throw RunwayException.usage("cannot create " + primary.dataDir() + ": " + io.getMessage());
                }
                lab.serverUser().own(primary.dataDir());
            }
            Template.initdb(lab.binaries(), lab.serverUser(), primary.dataDir());
            tmpl = null;
        }
        Path source = tmpl != null ? tmpl : primary.dataDir();
        boolean spares = tmpl != null && lab.spares() > 0;
        // a temporary lab on another file system than the cache (a check's, in memory) keeps its spares there
        Path spareDir = spares ? Spares.dir(source, lab.isPersistent() ? null : lab.dir().getParent()) : null;
        Parallel.run(lab.nodes(), n -> {
            if (!n.dataDir().equals(source) && !(spares && Spares.take(spareDir, n.dataDir()))) {
                Dirs.copy(source, n.dataDir());
            }
        });
        for (Node n : lab.replicas()) {
            NodeConf.standby(n.dataDir());
        }
        lab.makeTls();
        boot(lab);
        if (spares) {
            Spares.refill(spareDir, source, lab.spares(), lab.dir());
        }
    }

    /** Starts primary, slots, upstream proxies and replicas; waits until all replicas stream. Also the warm start. */
    static void boot(Lab lab) {
        Node primary = lab.primary();
        writeConf(lab, primary);
        startNode(lab, primary);
        try (Connection c = primary.connect("postgres")) {
            Set<String> slots = new HashSet<>(Sql.column(c, "SELECT slot_name FROM pg_replication_slots"));
            for (Node r : lab.replicas()) {
                if (!slots.contains(r.name())) {
                    Sql.exec(c, "SELECT pg_create_physical_replication_slot(" + PgSession.literal(r.name()) + ", true)");
                }
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot create replication slots on " + primary + ": " + e.getMessage(), e);
        }
        lab.upstreams().startConfigured();
        Parallel.run(lab.replicas(), n -> {
            writeConf(lab, n);
            startNode(lab, n);
        });
        awaitStreaming(lab, lab.replicas(), STREAM_TIMEOUT);
        lab.startConfiguredPgBouncer();
        lab.created();
    }

    static void writeConf(Lab lab, Node n) {
        // a switched-to user cannot create sockets in our lab dir: TCP only then
        Path sockets = lab.serverUser().switches() ? null : lab.dir();
        NodeConf.write(n.dataDir(), n.name(), n.port(), sockets, n.isPrimary() ? 0 : lab.upstreams().port(n), lab.tls());
    }

    /** Starts one node; while a new lab is being created, a port taken meanwhile is replaced by another. */
    static void startNode(Lab lab, Node n) {
        for (int attempt = 1; ; attempt++) {
            try {
                Postmaster.start(lab.serverUser(), lab.binaries().postgres(), n.dataDir(), n.logFile(), n.port(), START_TIMEOUT);
                return;
            } catch (Postmaster.PortInUseException e) {
                if (!lab.mayMovePorts() || attempt >= 5) {
                    throw e;
                }
                Set<Integer> used = new HashSet<>();
                lab.nodes().forEach(x -> used.add(x.port()));
                n.port(Ports.free(used));
                writeConf(lab, n);
            } catch (RunwayException e) {
                // right after kill(), the old shared memory segment may linger for a moment
                if (attempt >= 20 || e.getMessage() == null || !e.getMessage().contains("shared memory")) {
                    throw e;
                }
                Os.sleep(250);
            }
        }
    }

    static void awaitStreaming(Lab lab, List<Node> replicas, Duration timeout) {
        if (replicas.isEmpty()) {
            return;
        }
        Node primary = lab.primary();
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
                            + timeout.toMillis() + " ms (see their logs in " + lab.dir() + ")");
                }
                Os.sleep(5);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot read pg_stat_replication on " + primary + ": " + e.getMessage(), e);
        }
    }
}
