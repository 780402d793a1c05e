package dev.runway.core.flags;

import static dev.runway.core.pg.PgSession.ident;

import dev.runway.core.RunwayException;
import dev.runway.core.notify.NotifySql;
import dev.runway.core.pg.PgSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flags table {@code <schema>.<table>} (default {@code public.runway_flags}) on the primary.
 * Created by the first {@link #set} (under an advisory lock, like the history table under the
 * migration lock, so concurrent first writers cannot race on it). Every change is announced inside
 * its own transaction on the channel named like the table (an OnCommit notice, with the Position
 * notice in the COMMIT's round trip), so instances reload their snapshot as soon as their replica
 * shows it. Reading works on a replica. Immutable; thread-safe (all state is in the connection).
 */
public final class FlagTable {
    /** The default table name; also the default notice channel. */
    public static final String DEFAULT_TABLE = "runway_flags";
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private final String schema;
    private final String table;
    private final String qualified;

    /**
     * @param table a lower-case identifier (it is also the notice channel)
     * @throws RunwayException (USAGE) naming the table otherwise
     */
    public FlagTable(String schema, String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw RunwayException.usage("flags table '" + table + "' must be a lower-case SQL identifier (a-z, 0-9, _;"
                    + " at most 63 characters): it also names the channel instances listen on");
        }
        this.schema = schema;
        this.table = table;
        this.qualified = ident(schema) + "." + ident(table);
    }

    /** The channel changes are announced on: the table's name. */
    public String channel() {
        return table;
    }

    /** {@code schema.table} for messages. */
    public String displayName() {
        return schema + "." + table;
    }

    /** Every flag by name; empty when the table does not exist yet. Works on a replica. */
    public List<Flag> list(Connection c) throws SQLException {
        List<Flag> out = new ArrayList<>();
        if (!exists(c)) {
            return out;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, enabled, percent, regions, updated_by,"
                + " (extract(epoch FROM updated_at) * 1000000)::bigint FROM " + qualified + " ORDER BY name")) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    /** One flag, when it exists. */
    public Optional<Flag> get(Connection c, String name) throws SQLException {
        for (Flag f : list(c)) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The outcome of {@link #set}: the flag before (null when created) and after. */
    public record SetResult(Flag previous, Flag current) {
    }

    /**
     * Applies {@code change} to flag {@code name} in one transaction on {@code c} (left in autocommit
     * mode), announcing it to every instance when it commits.
     *
     * @param create whether an unknown name may be created (otherwise it is an error naming the known flags)
     * @throws RunwayException (USAGE) for an empty change or an unknown flag without {@code create}
     */
    public SetResult set(Connection c, String name, FlagChange change, boolean create, String updatedBy) throws SQLException {
        Flag.checkName(name);
        if (change.isEmpty()) {
            throw RunwayException.usage("flags set " + name + ": nothing to change: give on, off, --percent P or --regions r1,r2");
        }
        return inTransaction(c, () -> {
            createIfMissing(c);
            Flag before = locked(c, name);
            if (before == null && !create) {
                throw unknown(c, name, true);
            }
            Flag want = change.applyTo(name, before, updatedBy);
            Flag after;
            Array regions = c.createArrayOf("text", want.regions().toArray());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified + " AS f (name, enabled, percent, regions, updated_by)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, percent = excluded.percent,"
                    + " regions = excluded.regions, updated_by = excluded.updated_by, updated_at = now()"
                    + " RETURNING name, enabled, percent, regions, updated_by, (extract(epoch FROM updated_at) * 1000000)::bigint")) {
                ps.setString(1, name);
                ps.setBoolean(2, want.enabled());
                ps.setInt(3, want.percent());
                ps.setArray(4, regions);
                ps.setString(5, updatedBy);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    after = row(rs);
                }
            } finally {
                regions.free();
            }
            return new SetResult(before, after);
        }, name);
    }

    /**
     * Deletes flag {@code name} (instances then treat it as off), announcing it.
     *
     * @throws RunwayException (USAGE) when it does not exist, naming the known flags
     */
    public Flag remove(Connection c, String name) throws SQLException {
        Flag.checkName(name);
        return inTransaction(c, () -> {
            Flag before = exists(c) ? locked(c, name) : null;
            if (before == null) {
                throw unknown(c, name, false);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified + " WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return before;
        }, name);
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in a transaction that announces {@code key} on commit; COMMIT and the position go in one round trip. */
    private <T> T inTransaction(Connection c, Work<T> work, String key) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run();
            String token = NotifySql.token();
            String xid = NotifySql.sendOnCommit(c, channel(), token, List.of(key));
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT; " + NotifySql.positionSql(channel(), token));
            } catch (SQLException e) {
                if (!NotifySql.committed(c, xid, e)) {
                    throw e;
                }
                // committed; only the Position notice failed: instances ask the primary instead
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException r) {
                e.addSuppressed(r);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // a broken connection: the caller closes it
            }
        }
    }

    private boolean exists(Connection c) throws SQLException {
        return PgSession.relationExists(c, qualified);
    }

    private void createIfMissing(Connection c) throws SQLException {
        if (exists(c)) {
            return;
        }
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "runway flags " + displayName());
            lock.execute();
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(schema));
            s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " ("
                    + "name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]{0,62}$'),"
                    + " enabled boolean NOT NULL,"
                    + " percent smallint NOT NULL DEFAULT 100 CHECK (percent BETWEEN 0 AND 100),"
                    + " regions text[] NOT NULL DEFAULT '{}',"
                    + " updated_by text,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    private Flag locked(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, enabled, percent, regions, updated_by,"
                + " (extract(epoch FROM updated_at) * 1000000)::bigint FROM " + qualified + " WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private RunwayException unknown(Connection c, String name, boolean canCreate) throws SQLException {
        List<String> known = new ArrayList<>();
        if (exists(c)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM " + qualified + " ORDER BY name")) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return RunwayException.usage("flag '" + name + "' does not exist in " + displayName() + " (known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + ")" + (canCreate ? "; add --create to create it" : ""));
    }

    private static Flag row(ResultSet rs) throws SQLException {
        String[] regions = (String[]) rs.getArray(4).getArray();
        long micros = rs.getLong(6);
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        return new Flag(rs.getString(1), rs.getBoolean(2), rs.getInt(3), Arrays.asList(regions), rs.getString(5), at);
    }
}
