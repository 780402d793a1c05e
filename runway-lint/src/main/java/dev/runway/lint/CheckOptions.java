package dev.runway.lint;

import dev.runway.core.DatabaseUrl;

/**
 * How much {@code check} does beyond the static rules, and where.
 *
 * @param trace       run each migration on a scratch database and record locks, rewrites, scans and catalog changes
 * @param roundTrip   also run up, down, up and compare the schema (needs {@code trace})
 * @param scratchUrl  server for the scratch databases; null = start a lab server for this run
 * @param against     target database to copy the schema and table sizes from (read-only); null = replay earlier migrations
 * @param labVersion  PostgreSQL major of the lab server; null = the target's major, or the lab default
 * @param independent check each migration against the same starting schema (a corpus of unrelated files)
 *                    instead of in sequence
 * @param historyTable the (quoted, qualified) history table read on {@code against} to tell applied files from pending ones
 */
public record CheckOptions(boolean trace, boolean roundTrip, DatabaseUrl scratchUrl, DatabaseUrl against, String labVersion,
                           boolean independent, String historyTable) {
    /** The default history table, {@code public.runway_schema_history}. */
    public static final String HISTORY = "public.runway_schema_history";

    /** With the default history table. */
    public CheckOptions(boolean trace, boolean roundTrip, DatabaseUrl scratchUrl, DatabaseUrl against, String labVersion,
                        boolean independent) {
        this(trace, roundTrip, scratchUrl, against, labVersion, independent, HISTORY);
    }

    /** Static rules only. */
    public static CheckOptions staticOnly() {
        return new CheckOptions(false, false, null, null, null, false);
    }

    /** Static rules, trace and round trip on a lab server. */
    public static CheckOptions full() {
        return new CheckOptions(true, true, null, null, null, false);
    }

    public CheckOptions withIndependent(boolean v) {
        return new CheckOptions(trace, roundTrip, scratchUrl, against, labVersion, v, historyTable);
    }

    public CheckOptions withRoundTrip(boolean v) {
        return new CheckOptions(trace, v, scratchUrl, against, labVersion, independent, historyTable);
    }
}
