package dev.runway.lab;

import dev.runway.core.Lsn;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import java.util.List;

/** {@link Lab#failover()}: kill, promote the most advanced replica, make the others follow it. Stateless. */
final class Failover {
    private Failover() {
    }

    static Node run(Lab lab) {
        lab.primary().kill();
        Node best = null;
        Lsn bestAt = null;
        for (Node r : lab.replicas()) {
            if (r.isRunning()) {
                Lsn at = r.replayLsn();
                if (best == null || at != null && (bestAt == null || at.compareTo(bestAt) > 0)) {
                    best = r;
                    bestAt = at;
                }
            }
        }
        if (best == null) {
            throw RunwayException.usage("failover: no running replica to promote");
        }
        best.promote();
        for (Node r : lab.replicas()) {
            if (r.isRunning()) {
                follow(lab, r, best);
            }
        }
        return best;
    }

    /** Makes running replica {@code r} stream from {@code upstream} (the current primary): a slot there, then a reload. */
    static void follow(Lab lab, Node r, Node upstream) {
        upstream.query("SELECT count(pg_create_physical_replication_slot(" + PgSession.literal(r.name()) + ", true))"
                + " FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = " + PgSession.literal(r.name())
                + ")) s");
        lab.upstreams().follow(r, upstream);
        LabBoot.writeConf(lab, r);
        r.query("SELECT pg_reload_conf()");
        LabBoot.awaitStreaming(lab, List.of(r), LabBoot.STREAM_TIMEOUT);
    }
}
