package dev.runway.backfill.internal;

import static dev.runway.core.pg.PgSession.ident;

import dev.runway.backfill.BackfillCheckpoint;
import dev.runway.core.pg.PgSession;
import dev.runway.migrate.backfill.KeyPosition;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint table {@code <schema>.<history table>_backfill}: created (or upgraded) under the
 * migration lock, written inside each batch's transaction so a batch and its checkpoint commit or
 * vanish together. The last key done is stored as the text form of each key column ({@code last_key
 * text[]}, with {@code key_columns} and {@code key_types}), which reads back exactly for any type.
 *
 * <p>Tables written by the first version, which walked one integer key only, have {@code next_key bigint
 * NOT NULL} (where the next batch starts) and none of the new columns: {@link #create} adds them, and a
 * row without {@code last_key} reads as "last key done = next_key - 1", which is exact for integers. For
 * integer keys {@code next_key} is still written, so an older Runway can resume a newer one's checkpoint.
 * Immutable; thread-safe.
 */
public final class Checkpoints {
    private static final String COLUMNS = "version, next_key, key_columns, key_types, last_key, keys, rows, batches, batch_size, done";
    private final String qualified;

    public Checkpoints(String schema, String historyTable) {
        this.qualified = ident(schema) + "." + ident(historyTable + "_backfill");
    }

    /** Creates the table, or adds the typed-key columns to a table of the first, integer-only format. */
    public void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " (version text PRIMARY KEY, next_key bigint, key_columns text[],"
                    + " key_types text[], last_key text[], keys bigint, rows bigint NOT NULL, batches bigint NOT NULL,"
                    + " batch_size integer NOT NULL, done boolean NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())");
            if (!typed(c)) {
                s.execute("ALTER TABLE " + qualified + " ALTER COLUMN next_key DROP NOT NULL, ADD COLUMN key_columns text[],"
                        + " ADD COLUMN key_types text[], ADD COLUMN last_key text[], ADD COLUMN keys bigint");
            }
        }
    }

    /** Every checkpoint by version; empty when the table does not exist. */
    public Map<String, BackfillCheckpoint> readAll(Connection c) throws SQLException {
        Map<String, BackfillCheckpoint> out = new LinkedHashMap<>();
        if (!PgSession.relationExists(c, qualified)) {
            return out;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + select(c) + " FROM " + qualified
                + " ORDER BY version")) {
            while (rs.next()) {
                out.put(rs.getString(1), row(rs));
            }
        }
        return out;
    }

    public BackfillCheckpoint read(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + select(c) + " FROM " + qualified + " WHERE version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    public void delete(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified + " WHERE version = ?")) {
            ps.setString(1, version);
            ps.executeUpdate();
        }
    }

    /** Upserts the checkpoint; call inside the batch's transaction. */
    public void save(Connection c, BackfillCheckpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (version) DO UPDATE SET next_key = excluded.next_key, key_columns = excluded.key_columns,"
                + " key_types = excluded.key_types, last_key = excluded.last_key, keys = excluded.keys, rows = excluded.rows,"
                + " batches = excluded.batches, batch_size = excluded.batch_size, done = excluded.done, updated_at = now()")) {
            KeyPosition p = cp.position();
            ps.setString(1, cp.version());
            Long next = p == null ? null : p.nextIntegerKey();
            if (next == null) {
                ps.setNull(2, Types.BIGINT);
            } else {
                ps.setLong(2, next);
            }
            ps.setArray(3, p == null ? null : c.createArrayOf("text", p.columns().toArray()));
            ps.setArray(4, p == null ? null : c.createArrayOf("text", p.types().toArray()));
            ps.setArray(5, p == null ? null : c.createArrayOf("text", p.values().toArray()));
            ps.setLong(6, cp.keys());
            ps.setLong(7, cp.rows());
            ps.setLong(8, cp.batches());
            ps.setInt(9, cp.batchSize());
            ps.setBoolean(10, cp.done());
            ps.executeUpdate();
        }
    }

    /** True when the table has the typed-key columns (false: the first, integer-only format). */
    private boolean typed(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attname = 'last_key' AND NOT attisdropped)")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private String select(Connection c) throws SQLException {
        return typed(c) ? COLUMNS : "version, next_key, NULL::text[], NULL::text[], NULL::text[], NULL::bigint, rows, batches,"
                + " batch_size, done";
    }

    private static BackfillCheckpoint row(ResultSet rs) throws SQLException {
        long next = rs.getLong(2);
        boolean legacy = !rs.wasNull();
        List<String> values = strings(rs.getArray(5));
        KeyPosition position = null;
        if (values != null) {
            position = new KeyPosition(strings(rs.getArray(3)), strings(rs.getArray(4)), values);
        } else if (legacy && rs.getLong(8) > 0) {
            // the first format: one integer key, "next_key" = where the next batch starts = last key done + 1
            position = new KeyPosition(List.of("key"), List.of("bigint"), List.of(String.valueOf(next - 1)));
        }
        long keys = rs.getLong(6);
        if (rs.wasNull()) {
            keys = rs.getLong(7); // not recorded by the first format: rows changed is the closest figure
        }
        return new BackfillCheckpoint(rs.getString(1), position, keys, rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getBoolean(10));
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? null : Arrays.asList((String[]) a.getArray());
    }
}
