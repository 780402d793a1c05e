package dev.runway.lint.internal.trace;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One read of the per-statement signals, in a single round trip: per user table and materialized
 * view its relfilenode and {@code pg_stat_xact_user_tables.seq_scan}, and the relation locks this
 * backend holds ({@code pg_locks}, pid = pg_backend_pid()). Comparing two probes around a statement
 * gives its locks, rewrites and scans. The first probe of a transaction reads every table; the
 * probes after a statement only the tables this backend has locked (a rewrite or a scan needs a
 * lock, and locks are held to the end of the transaction), laid {@link #over} the probe before.
 * Immutable once read.
 */
final class Probe {
    /**
     * The probe after a statement: the tables this backend has locked and its locks; its first column
     * is named {@code runway_probe} so it can be picked out of a multi-result batch.
     */
    static final String SQL = "WITH l AS (SELECT l.relation, l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid()"
            + " AND l.locktype = 'relation' AND l.granted AND l.relation >= 16384"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            + " SELECT 't' AS runway_probe, c.oid::bigint, c.relname, c.relkind::text, c.relfilenode::bigint,"
            + " pg_stat_get_xact_numscans(c.oid), NULL::name FROM pg_class c"
            + " WHERE c.oid IN (SELECT relation FROM l) AND c.relkind IN ('r','p','m') AND c.relpersistence <> 't'"
            + " UNION ALL SELECT 'l', relation::bigint, mode, '', 0, 0, NULL FROM l";
    /**
     * The first probe of a transaction: every table, with its partition parent, and without pg_locks
     * (a transaction that has just begun holds no locks on user relations; pg_lock_status() copies the
     * whole shared lock table, the most expensive part of a probe).
     */
    static final String SQL_FIRST = sql(true, false);

    private static String sql(boolean parents, boolean locks) {
        return "SELECT 't' AS runway_probe, c.oid::bigint, c.relname, c.relkind::text, c.relfilenode::bigint,"
                + " pg_stat_get_xact_numscans(c.oid), "
                + (parents ? "(SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1)"
                        : "NULL::name")
                // User relations have oids from FirstNormalObjectId (16384) on: a range scan of pg_class's oid index.
                + " FROM pg_class c WHERE c.oid >= 16384 AND c.relkind IN ('r','p','m') AND c.relpersistence <> 't'"
                + (locks ? " UNION ALL SELECT 'l', l.relation::bigint, l.mode, '', 0, 0, NULL FROM pg_locks l"
                        + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.relation >= 16384"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())" : "");
    }

    /** A full probe (every table, parents and locks), for use in the middle of a transaction. */
    static final String SQL_FULL = sql(true, true);

    /**
     * Completes this probe with {@code earlier} (read before it in the same transaction): tables this
     * probe did not read keep their earlier values (also a table dropped since: a missing table and an
     * unchanged one have no rewrite and no scan), and partition parents known earlier are copied in.
     */
    Probe over(Probe earlier) {
        earlier.tables.forEach((oid, v) -> {
            Object[] mine = tables.get(oid);
            if (mine == null) {
                tables.put(oid, v);
            } else if (mine[4] == null) {
                mine[4] = v[4];
            }
        });
        return this;
    }

    /** Per relation oid: {relname, relkind, relfilenode, seq_scan, parent relname or null}. */
    final Map<Long, Object[]> tables = new HashMap<>();
    /** Per relation oid: the lock modes held. */
    final Map<Long, List<String>> locks = new HashMap<>();

    static Probe read(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SQL_FULL)) {
            return from(rs);
        }
    }

    /** True when {@code rs} is a probe's result. */
    static boolean is(ResultSet rs) throws SQLException {
        return rs.getMetaData().getColumnCount() == 7 && rs.getMetaData().getColumnLabel(1).equals("runway_probe");
    }

    /** Reads a probe result set (positioned before the first row). */
    static Probe from(ResultSet rs) throws SQLException {
        Probe p = new Probe();
        {
            while (rs.next()) {
                long oid = rs.getLong(2);
                if (rs.getString(1).equals("t")) {
                    p.tables.put(oid, new Object[] {rs.getString(3), rs.getString(4).charAt(0), rs.getLong(5), rs.getLong(6), rs.getString(7)});
                } else {
                    p.locks.computeIfAbsent(oid, k -> new ArrayList<>()).add(rs.getString(3));
                }
            }
        }
        return p;
    }

    /** Effects between {@code before} and {@code after} on the relations in {@code existing} (oids present before the migration). */
    static List<TableEffect> effects(Probe before, Probe after, java.util.Set<Long> existing) {
        List<TableEffect> out = new ArrayList<>();
        for (long oid : existing) {
            Object[] b = before.tables.get(oid);
            Object[] a = after.tables.get(oid);
            if (b == null) {
                continue;
            }
            String newLock = null;
            String held = null;
            boolean share = false;
            for (String m : after.locks.getOrDefault(oid, List.of())) {
                if (TableEffect.strength(m) > TableEffect.strength(held)) {
                    held = m;
                }
                boolean isNew = !before.locks.getOrDefault(oid, List.of()).contains(m);
                share |= isNew && m.equals("ShareLock");
                if (isNew && TableEffect.strength(m) > TableEffect.strength(newLock)) {
                    newLock = m;
                }
            }
            boolean rewritten = a != null && (long) b[2] != 0 && !b[2].equals(a[2]);
            boolean scanned = a != null && (long) a[3] > (long) b[3];
            if (newLock != null || rewritten || scanned) {
                out.add(new TableEffect((String) b[0], (char) b[1], newLock, held, rewritten, scanned, share, (String) b[4]));
            }
        }
        return out;
    }
}
