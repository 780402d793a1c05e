package dev.runway.lint;

import dev.runway.core.RunwayException;
import java.util.Locale;

/** How the checked files will be executed, which decides transaction boundaries and who sets lock_timeout. */
public enum Mode {
    /**
     * Under Runway: one transaction per migration (unless the file is non-transactional), with
     * {@code SET LOCAL lock_timeout} and retries on SQLSTATE 55P03 done by the runner.
     */
    RUNWAY,
    /** As written, like {@code psql -f}: autocommit, the file's own BEGIN/COMMIT and its own lock_timeout. */
    PLAIN;

    /** Parses "runway" or "plain". */
    public static Mode parse(String text, String where) {
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw RunwayException.usage(where + ": '" + text + "' is not a mode (runway or plain)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
