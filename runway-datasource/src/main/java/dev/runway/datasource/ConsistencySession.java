package dev.runway.datasource;

import dev.runway.core.Lsn;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The WAL position a unit of work (a thread, an HTTP request, a user session) must see before
 * it reads from a replica: the highest of its own committed writes and of any accepted
 * consistency tokens. Only ever increases. Thread-safe.
 *
 * <p>By default each thread has its own session; bind another one for the scope of a request
 * with {@link RunwayDataSource#bind(ConsistencySession)} (the servlet filter does).
 */
public final class ConsistencySession {
    private final AtomicLong required = new AtomicLong();
    private volatile Consumer<Lsn> onWrite;
    /** A write committed at a position that could not be read (the primary died right after it). */
    private volatile boolean positionUnknown;

    /** A session that requires nothing yet. */
    public ConsistencySession() {
    }

    /** A session that starts by requiring {@code lsn} (null: nothing). */
    public ConsistencySession(Lsn lsn) {
        if (lsn != null) {
            require(lsn);
        }
    }

    /** The position reads must see, or null when nothing is required. */
    public Lsn required() {
        long v = required.get();
        return v == 0 ? null : new Lsn(v);
    }

    /** Raises the requirement to at least {@code lsn} (unsigned compare; lower values are ignored). */
    public void require(Lsn lsn) {
        long v = lsn.value();
        required.accumulateAndGet(v, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    /** Called by the data source after a write commits in this session. */
    void wrote(Lsn lsn) {
        require(lsn);
        Consumer<Lsn> hook = onWrite;
        if (hook != null) {
            hook.accept(lsn);
        }
    }

    boolean positionUnknown() {
        return positionUnknown;
    }

    void positionUnknown(boolean unknown) {
        positionUnknown = unknown;
    }

    /**
     * Runs {@code hook} after each write committed in this session, e.g. to set a cookie before
     * the response is committed. One hook per session; null removes it.
     */
    public void onWrite(Consumer<Lsn> hook) {
        this.onWrite = hook;
    }
}
