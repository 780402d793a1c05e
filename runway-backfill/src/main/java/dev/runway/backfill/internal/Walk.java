package dev.runway.backfill.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the next batch of a key walk: the first and the last key after the last one done, {@code size}
 * keys apart, by reading the key's index from there ({@code WHERE (a, b) > (last done) ORDER BY a, b
 * OFFSET size - 1 LIMIT 2}). It reads {@code size} index entries and never the part already done, so a
 * batch costs the same at the end of a big table as at its start, and gaps give no short batches. Both
 * bounds are real keys, so no type needs a "next value" (uuid, text and composite keys have none).
 * The second row of the OFFSET probe tells whether keys remain after the batch. Stateless.
 */
public final class Walk {
    private static final String T = "t";
    private static final java.util.regex.Pattern ROWS = java.util.regex.Pattern.compile(" rows=(\\d+) ");
    private final TableKey key;

    public Walk(TableKey key) {
        this.key = key;
    }

    /**
     * One batch's keys.
     *
     * @param first the batch's first key (text form per column)
     * @param last  its last key; every key from first to last, both inclusive, is in the batch
     * @param keys  how many keys it spans (at least; duplicates of {@code last} in a non-unique key add more)
     * @param end   true when no key follows {@code last}: the walk is complete after this batch
     */
    public record Bounds(List<String> first, List<String> last, long keys, boolean end) {
    }

    /**
     * The batch after {@code after} (null: from the start) of at most {@code size} keys, or null when no key
     * follows {@code after}. Call inside the batch's transaction.
     */
    public Bounds next(Connection c, List<String> after, int size) throws SQLException {
        String from = " FROM " + key.table() + " " + T + (after == null ? "" : " WHERE " + key.row(T) + " > " + key.params());
        String select = "SELECT " + aliased();
        // the casts to text are applied to at most three rows, outside the index walk
        String sql = "SELECT p, " + texts() + " FROM ((" + "SELECT 0 AS p, " + aliased() + from + key.orderBy(T, false) + " LIMIT 1)"
                + " UNION ALL (SELECT 1 AS p, " + aliased() + from + key.orderBy(T, false) + " OFFSET ? LIMIT 2)) u ORDER BY p, "
                + keyAliases();
        List<String> first = null;
        List<List<String>> tail = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, 1, after);
            i = bind(ps, i, after);
            ps.setInt(i, size - 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) == 0) {
                        first = row(rs);
                    } else {
                        tail.add(row(rs));
                    }
                }
            }
        }
        if (first == null) {
            return null;
        }
        if (!tail.isEmpty()) {
            return new Bounds(first, tail.get(0), size, tail.size() == 1);
        }
        // fewer than size keys left: the last batch ends at the largest key; count what it spans (< size)
        try (PreparedStatement ps = c.prepareStatement("SELECT n, " + texts() + " FROM (" + select + ", count(*) OVER () AS n"
                + from + key.orderBy(T, true) + " LIMIT 1) s")) {
            bind(ps, 1, after);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                List<String> last = new ArrayList<>();
                for (int k = 0; k < key.columns().size(); k++) {
                    last.add(rs.getString(k + 2));
                }
                return new Bounds(first, last, rs.getLong(1), true);
            }
        }
    }

    /** The key of the table's last row in walk order (text form), or null for an empty table. */
    public List<String> lastKey(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + texts() + " FROM (SELECT " + aliased() + " FROM " + key.table() + " "
                + T + key.orderBy(T, true) + " LIMIT 1) s"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (int k = 0; k < key.columns().size(); k++) {
                out.add(rs.getString(k + 1));
            }
            return out;
        }
    }

    /**
     * The planner's row estimate for the table: {@code pg_class.reltuples} scaled to the table's current
     * size (what {@code EXPLAIN SELECT} shows, partitions summed); -1 when it cannot be read.
     */
    public long estimate(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN SELECT 1 FROM " + key.table()); ResultSet rs = ps.executeQuery()) {
            java.util.regex.Matcher m = rs.next() ? ROWS.matcher(rs.getString(1)) : null;
            return m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** Binds {@code values} (text form) to the casts of {@link TableKey#params()} from {@code i}; returns the next index. */
    static int bind(PreparedStatement ps, int i, List<String> values) throws SQLException {
        if (values == null) {
            return i;
        }
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    private List<String> row(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < key.columns().size(); k++) {
            out.add(rs.getString(k + 2));
        }
        return out;
    }

    /** {@code t."a" AS k0, t."b" AS k1}. */
    private String aliased() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < key.columns().size(); k++) {
            b.append(k == 0 ? "" : ", ").append(T).append('.').append(dev.runway.core.pg.PgSession.ident(key.columns().get(k).name()))
                    .append(" AS k").append(k);
        }
        return b.toString();
    }

    /** {@code k0::text AS v0, k1::text AS v1} (named apart, so that an ORDER BY k0 sorts the values, not their text). */
    private String texts() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < key.columns().size(); k++) {
            b.append(k == 0 ? "" : ", ").append('k').append(k).append("::text AS v").append(k);
        }
        return b.toString();
    }

    /** {@code k0, k1}: ordering by the values themselves (their column collations), not their text. */
    private String keyAliases() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < key.columns().size(); k++) {
            b.append(k == 0 ? "" : ", ").append('k').append(k);
        }
        return b.toString();
    }
}
