package dev.runway.backfill.internal;

import static dev.runway.core.pg.PgSession.ident;

import dev.runway.backfill.BackfillCheckpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint table {@code <schema>.<history table>_backfill}: created under the migration lock,
 * written inside each batch's transaction so a batch and its checkpoint commit or vanish together.
 * Immutable; thread-safe.
 */
public final class Checkpoints {
    private final String qualified;

    public Checkpoints(String schema, String historyTable) {
        this.qualified = ident(schema) + "." + ident(historyTable + "_backfill");
    }

    public void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " (version text PRIMARY KEY, next_key bigint NOT NULL,"
                    + " rows bigint NOT NULL, batches bigint NOT NULL, batch_size integer NOT NULL, done boolean NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    /** Every checkpoint by version; empty when the table does not exist. */
    public Map<String, BackfillCheckpoint> readAll(Connection c) throws SQLException {
        Map<String, BackfillCheckpoint> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, next_key, rows, batches,"
                + " batch_size, done FROM " + qualified + " ORDER BY version")) {
            while (rs.next()) {
                out.put(rs.getString(1), new BackfillCheckpoint(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getInt(5), rs.getBoolean(6)));
            }
        }
        return out;
    }

    public BackfillCheckpoint read(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT next_key, rows, batches, batch_size, done FROM " + qualified
                + " WHERE version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BackfillCheckpoint(version, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4),
                        rs.getBoolean(5)) : null;
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified + " (version, next_key, rows, batches,"
                + " batch_size, done) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (version) DO UPDATE SET next_key = excluded.next_key,"
                + " rows = excluded.rows, batches = excluded.batches, batch_size = excluded.batch_size, done = excluded.done,"
                + " updated_at = now()")) {
            ps.setString(1, cp.version());
            ps.setLong(2, cp.nextKey());
            ps.setLong(3, cp.rows());
            ps.setLong(4, cp.batches());
            ps.setInt(5, cp.batchSize());
            ps.setBoolean(6, cp.done());
            ps.executeUpdate();
        }
    }
}
