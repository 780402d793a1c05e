package dev.runway.datasource.internal;

import dev.runway.core.Lsn;

/** How the router reads and advances the calling thread's consistency session. */
public interface SessionAccess {
    /** The position the current session must see, or null. */
    Lsn required();

    /** A write committed at {@code lsn} in the current session. */
    void wrote(Lsn lsn);
}
