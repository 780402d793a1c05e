package dev.runway.lab;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.Os;
import dev.runway.lab.internal.ProxyProcess;
import dev.runway.lab.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each replica's WAL stream connects: straight to its upstream (the primary, or another replica
 * for a cascaded one), through an in-process {@link DelayProxy} (temp labs, and delays set at run time),
 * or through the persistent lab's detached proxy process, steered via the state file. Thread-safe.
 */
final class Upstreams {
    private final Lab lab;
    private final Map<String, DelayProxy> proxies = new ConcurrentHashMap<>();
    /** Replicas streaming from another replica (set at run time by {@link Node#streamFrom}), by name. */
    private final Map<String, Node> cascaded = new ConcurrentHashMap<>();

    Upstreams(Lab lab) {
        this.lab = lab;
    }

    /** Starts the proxies the config asks for: in-process for a temp lab, the proxy process for a persistent one. */
    void startConfigured() {
        if (!lab.isPersistent()) {
            for (Node r : lab.replicas()) {
                if (lab.config().delays().containsKey(r.name())) {
                    proxies.put(r.name(), DelayProxy.start("127.0.0.1", lab.primary().port(), lab.config().delayOf(r.name())));
                }
            }
            return;
        }
        LabState st = LabDirs.stateOf(lab, 0);
        lab.saveState(st);
        if (!st.upstreamPorts().isEmpty()) {
            lab.saveState(st.withProxyPid(ProxyProcess.spawn(lab.dir(), st)));
        }
    }

    /** The port a replica's WAL stream connects to: its proxy's, else its upstream's. */
    int port(Node replica) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            return p.port();
        }
        Node up = cascaded.get(replica.name());
        if (up != null) {
            return up.port();
        }
        LabState st = lab.state();
        if (st != null && st.upstreamPorts().containsKey(replica.name())) {
            return st.upstreamPorts().get(replica.name());
        }
        return lab.primary().port();
    }

    Duration delay(Node replica) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            return p.delay();
        }
        LabState st = lab.state();
        if (st != null && st.upstreamPorts().containsKey(replica.name())) {
            return st.delays().getOrDefault(replica.name(), Duration.ZERO);
        }
        return Duration.ZERO;
    }

    void setDelay(Node replica, Duration oneWay) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            p.setDelay(oneWay);
            return;
        }
        LabState st = lab.state();
        if (st != null && st.upstreamPorts().containsKey(replica.name())) {
            st = LabDirs.withDelay(st, replica.name(), oneWay);
            lab.saveState(st);
            ProxyProcess.awaitApplied(lab.dir(), st);
            return;
        }
        // a direct replica: put a proxy in front of its upstream and repoint primary_conninfo (reloadable)
        proxies.put(replica.name(), DelayProxy.start("127.0.0.1", upstream(replica).port(), oneWay));
        LabBoot.writeConf(lab, replica);
        replica.query("SELECT pg_reload_conf()");
    }

    /** The node {@code replica} streams from. */
    Node upstream(Node replica) {
        return cascaded.getOrDefault(replica.name(), lab.primary());
    }

    /**
     * Repoints {@code replica} at {@code upstream} (a cascaded standby when that is another replica): a
     * physical slot named after the replica on the upstream, primary_conninfo rewritten and reloaded, a
     * wait until the upstream streams to it, then the slot on the old upstream dropped so it retains no WAL.
     * A delay proxy of the replica is moved in front of the new upstream with the same delay.
     */
    void follow(Node replica, Node upstream, Duration timeout) {
        if (upstream == replica) {
            throw RunwayException.usage(replica.name() + " cannot stream from itself");
        }
        if (lab.isPersistent()) {
            throw RunwayException.usage("streamFrom() is for temp labs: a persistent lab's state file does not keep cascades");
        }
        Node old = upstream(replica);
        if (old == upstream) {
            return;
        }
        ensureSlot(upstream, replica.name());
        if (upstream.isPrimary()) {
            cascaded.remove(replica.name());
        } else {
            cascaded.put(replica.name(), upstream);
        }
        DelayProxy p = proxies.remove(replica.name());
        if (p != null) {
            p.close();
            proxies.put(replica.name(), DelayProxy.start("127.0.0.1", upstream.port(), p.delay()));
        }
        LabBoot.writeConf(lab, replica);
        replica.query("SELECT pg_reload_conf()");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!"streaming".equals(upstream.query("SELECT state FROM pg_stat_replication WHERE application_name = "
                + PgSession.literal(replica.name())))) {
            if (System.nanoTime() > deadline) {
                throw new RunwayException(ErrorCode.TEMPORARY, replica.name() + " does not stream from " + upstream.name()
                        + " after " + timeout.toMillis() + " ms (see " + replica.logFile() + ")");
            }
            Os.sleep(10);
        }
        dropSlotWhenInactive(old, replica.name(), deadline);
    }

    private static void ensureSlot(Node on, String slot) {
        on.query("SELECT count(pg_create_physical_replication_slot(" + PgSession.literal(slot) + ", true)) FROM (SELECT 1) one"
                + " WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = " + PgSession.literal(slot) + ")");
    }

    private static void dropSlotWhenInactive(Node on, String slot, long deadline) {
        try (Connection c = on.connect("postgres")) {
            while (true) {
                String active = Sql.one(c, "SELECT active FROM pg_replication_slots WHERE slot_name = " + PgSession.literal(slot));
                if (active == null) {
                    return;
                }
                if ("f".equals(active)) {
                    Sql.exec(c, "SELECT pg_drop_replication_slot(" + PgSession.literal(slot) + ")");
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new RunwayException(ErrorCode.TEMPORARY, "slot " + slot + " on " + on.name() + " is still active");
                }
                Os.sleep(10);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "cannot drop slot " + slot + " on " + on.name() + ": " + e.getMessage(), e);
        }
    }

    void cut(Node replica) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            p.cutConnections();
            return;
        }
        upstream(replica).query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_replication WHERE application_name = "
                + PgSession.literal(replica.name()));
    }

    /** After a promotion: a delayed replica's proxy forwards to {@code upstream} from now on (its open stream is cut). */
    void follow(Node replica, Node upstream) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            p.retarget(upstream.host(), upstream.port());
            p.cutConnections();
        }
    }

    void closeAll() {
        proxies.values().forEach(DelayProxy::close);
        proxies.clear();
        cascaded.clear();
    }
}
