package dev.runway.lab;

import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.ProxyProcess;
import dev.runway.lab.internal.Sql;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each replica's WAL stream connects: straight to the primary, through an in-process
 * {@link DelayProxy} (temp labs, and delays set at run time), or through the persistent lab's detached
 * proxy process, steered via the state file. Thread-safe.
 */
final class Upstreams {
    private final Lab lab;
    private final Map<String, DelayProxy> proxies = new ConcurrentHashMap<>();

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

    /** The port a replica's WAL stream connects to: its proxy's, else the primary's. */
    int port(Node replica) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            return p.port();
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
        // a direct replica: put a proxy in front of the primary and repoint primary_conninfo (reloadable)
        proxies.put(replica.name(), DelayProxy.start("127.0.0.1", lab.primary().port(), oneWay));
        LabBoot.writeConf(lab, replica);
        replica.query("SELECT pg_reload_conf()");
    }

    void cut(Node replica) {
        DelayProxy p = proxies.get(replica.name());
        if (p != null) {
            p.cutConnections();
            return;
        }
        lab.primary().query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_replication WHERE application_name = "
                + Sql.literal(replica.name()));
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
    }
}
