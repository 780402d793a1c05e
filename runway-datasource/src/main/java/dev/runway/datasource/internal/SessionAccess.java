package dev.runway.datasource.internal;

import dev.runway.core.Lsn;

/** How the router reads and advances the calling thread's consistency session. */
public interface SessionAccess {
    /** The position the current session must see, or null. */
    Lsn required();

    /** A write committed at {@code lsn} in the current session. */
    void wrote(Lsn lsn);

    /** A write of the current session committed (or may have) at a position that could not be read. */
    void wroteAtUnknownPosition();

    /** True after {@link #wroteAtUnknownPosition()} until {@link #resolved}. */
    boolean positionUnknown();

    /** The primary's position read after an unknown one: the session requires it from now on. */
    void resolved(Lsn lsn);
}
