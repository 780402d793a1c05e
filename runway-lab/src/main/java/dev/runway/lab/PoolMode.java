package dev.runway.lab;

import dev.runway.core.RunwayException;
import java.util.Locale;

/** PgBouncer's {@code pool_mode}: when a server connection goes back to the pool. */
public enum PoolMode {
    /** When the client disconnects: every session feature works. */
    SESSION,
    /** When the client's transaction ends: session state (SET, advisory locks, LISTEN) does not survive. */
    TRANSACTION;

    /** The value as pgbouncer.ini spells it. */
    public String ini() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws RunwayException USAGE naming {@code source} unless {@code text} is session or transaction */
    public static PoolMode parse(String text, String source) {
        for (PoolMode m : values()) {
            if (m.ini().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw RunwayException.usage(source + ": '" + text + "' is not a PgBouncer pool mode (session or transaction)");
    }
}
