package dev.runway.lint.internal.trace;

/**
 * What one statement did to one pre-existing table or materialized view.
 *
 * @param table      relation name (unqualified)
 * @param kind       pg_class.relkind: 'r' table, 'p' partitioned, 'm' materialized view
 * @param newLock    strongest lock mode this statement newly took on it (pg_locks mode name), or null
 * @param heldLock   strongest lock mode held on it once the statement finished (includes earlier statements)
 * @param rewritten  relfilenode changed
 * @param scanned    pg_stat_xact_user_tables.seq_scan grew
 * @param tookShare  among the modes newly taken is SHARE (also when a stronger one was taken too, e.g. a
 *                   DO block that alters the table and then builds an index on it)
 * @param parent     the partitioned (or inheritance) parent's name, or null
 */
public record TableEffect(String table, char kind, String newLock, String heldLock, boolean rewritten, boolean scanned,
                          boolean tookShare, String parent) {

    /** True when this is {@code name} or one of its partitions. */
    public boolean is(String name) {
        return table.equals(name) || name.equals(parent);
    }

    /** Strength order of PostgreSQL's table lock modes (docs: "Table-Level Lock Modes"). */
    public static int strength(String mode) {
        if (mode == null) {
            return 0;
        }
        switch (mode) {
            case "AccessShareLock": return 1;
            case "RowShareLock": return 2;
            case "RowExclusiveLock": return 3;
            case "ShareUpdateExclusiveLock": return 4;
            case "ShareLock": return 5;
            case "ShareRowExclusiveLock": return 6;
            case "ExclusiveLock": return 7;
            case "AccessExclusiveLock": return 8;
            default: return 0;
        }
    }

    /** "ACCESS EXCLUSIVE" for "AccessExclusiveLock". */
    public static String display(String mode) {
        if (mode == null) {
            return null;
        }
        String m = mode.endsWith("Lock") ? mode.substring(0, mode.length() - 4) : mode;
        return m.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
    }

    /** True when a scan ran while writes to the table were blocked (SHARE or stronger held; not for materialized views). */
    public boolean scanUnderBlockingLock() {
        return scanned && kind != 'm' && strength(heldLock) >= 5;
    }

    /** True when this statement took SHARE (a non-concurrent index build) on the table. */
    public boolean shareLock() {
        // On a partitioned parent (no storage) SHARE is a catalog-only step, e.g. CREATE INDEX ON ONLY.
        // SHARE as the strongest new mode is an index build. SHARE next to a stronger mode counts only with a scan:
        // ALTER COLUMN TYPE re-creates an index it can reuse (SHARE, no build, no scan), a DO block that alters a
        // table and then builds an index on it scans it.
        return kind != 'p' && ("ShareLock".equals(newLock) || tookShare && scanned);
    }
}
