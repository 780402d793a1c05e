package dev.runway.lab;

import dev.runway.core.RunwayException;
import dev.runway.lab.internal.LabState;
import dev.runway.lab.internal.Ports;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The PgBouncers of a {@link Lab}: the one its configuration asks for (named {@link Lab#PGBOUNCER}, in
 * front of the primary, recorded in a persistent lab's state) and any started from code. Thread-safe.
 */
final class Bouncers {
    private final Lab lab;
    private final List<PgBouncer> all = new CopyOnWriteArrayList<>();

    Bouncers(Lab lab) {
        this.lab = lab;
    }

    /** The handle of a persistent lab's PgBouncer as its state records it (not started). */
    void restore(LabState st) {
        if (st.poolMode() != null && st.pgbouncerPort() > 0) {
            all.add(new PgBouncer(lab, Lab.PGBOUNCER, lab.primary(), PoolMode.parse(st.poolMode(), LabState.FILE), st.pgbouncerPort(),
                    st.pgbouncerPid()));
        }
    }

    /** Starts the configured PgBouncer ({@code mode} null: none) on {@code port} (0: any free one). */
    void startConfigured(String mode, int port) {
        if (mode == null) {
            return;
        }
        PgBouncer b = configured();
        if (b == null) {
            b = new PgBouncer(lab, Lab.PGBOUNCER, lab.primary(), PoolMode.parse(mode, "pgbouncer"), port > 0 ? port : freePort(), 0);
            all.add(b);
        }
        b.start();
    }

    /** The configured one, or null. */
    PgBouncer configured() {
        for (PgBouncer b : all) {
            if (b.name().equals(Lab.PGBOUNCER)) {
                return b;
            }
        }
        return null;
    }

    PgBouncer requireConfigured() {
        PgBouncer b = configured();
        if (b == null) {
            throw RunwayException.usage("this lab has no PgBouncer (start it with runway lab up --pgbouncer session|transaction,"
                    + " or LabConfig.builder().pgbouncer(..))");
        }
        return b;
    }

    /** The one in front of {@code target} with {@code mode}, started; a new one when there is none. */
    synchronized PgBouncer get(Node target, PoolMode mode) {
        for (PgBouncer b : all) {
            if (b.target() == target && b.mode() == mode) {
                b.start();
                return b;
            }
        }
        PgBouncer b = new PgBouncer(lab, "pgbouncer-" + target.name() + "-" + mode.ini(), target, mode, freePort(), 0);
        all.add(b);
        b.start();
        return b;
    }

    /** After a promotion the configured one forwards to the new primary. */
    void promoted(Node n) {
        PgBouncer b = configured();
        if (b != null) {
            b.retarget(n);
        }
    }

    /** Stops all; returns the first failure (later ones suppressed in it), or null. */
    RuntimeException stopAll() {
        RuntimeException first = null;
        for (PgBouncer b : all) {
            try {
                b.stop();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }

    private int freePort() {
        Set<Integer> used = new HashSet<>();
        lab.nodes().forEach(n -> used.add(n.port()));
        all.forEach(b -> used.add(b.port()));
        return Ports.free(used);
    }
}
