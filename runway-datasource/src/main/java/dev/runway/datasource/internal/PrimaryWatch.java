package dev.runway.datasource.internal;

import dev.runway.core.Lsn;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the current primary's WAL is known to reach, and what a failover changes. Thread-safe.
 *
 * <p>Every position a read can be asked to wait for came from a primary: a captured commit, a token, a
 * header. After a failover the new primary continues from where the promoted replica stopped, so a
 * position of the old timeline that never reached it (an asynchronously replicated commit lost with
 * the old primary, or a token minted just before) may lie beyond anything the new timeline will write
 * for a long time: a replica would never "replay" it, and every read needing it would wait the full
 * timeout. {@link #feasible} caps a wait at the primary's current position whenever the position asked
 * for is beyond what is known to exist; a primary error or a primary position going backwards (a new
 * timeline starts below the old one's end) forgets what was known, so the next such read asks.
 */
final class PrimaryWatch {
    /** Reads the primary's current position and timeline. */
    interface Reader {
        WalPosition.Position read() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryWatch.class);
    private final Reader reader;
    private final Runnable onChange;
    /** Highest position known to exist on the current primary's timeline; 0 = unknown. */
    private final AtomicLong known = new AtomicLong();
    /** The highest timeline seen; 0 = none yet. */
    private volatile int timeline;

    /**
     * @param reader   reads the primary's current position (one query on a pooled connection)
     * @param onChange called when the primary failed or its timeline changed (drop pooled connections,
     *                 re-read the identity)
     */
    public PrimaryWatch(Reader reader, Runnable onChange) {
        this.reader = reader;
        this.onChange = onChange;
    }

    /** The highest timeline seen in the primary's positions, 0 before any. */
    int timeline() {
        return timeline;
    }

    /** A commit captured at {@code lsn}: the primary has reached it. */
    public void wrote(Lsn lsn) {
        known.accumulateAndGet(lsn.value(), (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
    }

    /** The primary's position read just now; a higher timeline than seen before is a failover. */
    public void read(WalPosition.Position now) {
        int seen = timeline;
        if (now.timeline() < seen) {
            return; // a read from before the failover that finished late
        }
        if (seen != 0 && now.timeline() > seen) {
            synchronized (this) {
                if (now.timeline() > timeline) {
                    timeline = now.timeline();
                    known.set(now.lsn().value());
                    LOG.warn("the primary is on timeline {} now (was {}), at {}: a failover; waits for positions beyond it are capped",
                            now.timeline(), seen, now.lsn());
                    onChange.run();
                    return;
                }
            }
        }
        timeline = Math.max(timeline, now.timeline());
        wrote(now.lsn());
    }

    /** A statement on a primary connection failed as if the primary is gone or read-only: forget what was known. */
    public void trouble(SQLException cause) {
        known.set(0);
        onChange.run();
    }

    /**
     * {@code need}, or the primary's current position when {@code need} lies beyond it: no replica of
     * this primary can replay a position its primary has not written. Asks the primary only when
     * {@code need} is beyond what is known; when the primary cannot be asked, returns {@code need}.
     */
    public Lsn feasible(Lsn need) {
        long k = known.get();
        if (k != 0 && Long.compareUnsigned(need.value(), k) <= 0) {
            return need;
        }
        return recheck(need);
    }

    /** As {@link #feasible}, asking the primary whatever is known (for a wait that takes long). */
    public Lsn recheck(Lsn need) {
        WalPosition.Position now;
        try {
            now = reader.read();
        } catch (SQLException e) {
            return need;
        }
        read(now);
        if (Long.compareUnsigned(need.value(), now.lsn().value()) > 0) {
            LOG.debug("a read needs {}, beyond the primary's {}: a position of an earlier timeline; waiting for {} instead", need,
                    now.lsn(), now.lsn());
            return now.lsn();
        }
        return need;
    }
}
