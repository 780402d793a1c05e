package dev.runway.migrate.history;

import static dev.runway.core.pg.PgSession.ident;
import static dev.runway.core.pg.PgSession.literal;

import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.MigrationVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code <schema>.runway_schema_history}. Callers hold the migration lock for every
 * write; the table itself is created under that lock, so concurrent first deploys cannot race on it.
 * Immutable; thread-safe (all state is in the connection passed in).
 */
public final class HistoryTable {
    private final String schema;
    private final String table;
    private final String qualified;
    /** {@code INSERT INTO t (every column) VALUES (}: the one column list of {@link #insert} and {@link #insertSql}. */
    private final String insertInto;

    public HistoryTable(String schema, String table) {
        this.schema = schema;
        this.table = table;
        this.qualified = ident(schema) + "." + ident(table);
        this.insertInto = "INSERT INTO " + qualified + " (version, kind, name, checksum, status, statements_done, statements_total,"
                + " error, duration_ms, applied_by, runway_version, up_checksum, down_checksum) VALUES (";
    }

    /** {@code "schema"."table"}, quoted. */
    public String qualified() {
        return qualified;
    }

    /** {@code schema.table} for messages and {@code to_regclass}. */
    public String displayName() {
        return schema + "." + table;
    }

    public String schema() {
        return schema;
    }

    /** The table's name, unquoted. */
    public String table() {
        return table;
    }

    /**
     * Creates schema and table if missing. Call with the lock held. The schema is created only when it
     * does not exist: even with IF NOT EXISTS, CREATE SCHEMA needs the CREATE privilege on the database,
     * which a role that may only create tables in {@code public} lacks
     * (https://www.postgresql.org/docs/current/sql-createschema.html).
     */
    public void create(Connection c) throws SQLException {
        boolean schemaExists;
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regnamespace(?) IS NOT NULL")) {
            ps.setString(1, ident(schema));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                schemaExists = rs.getBoolean(1);
            }
        }
        try (Statement s = c.createStatement()) {
            if (!schemaExists) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + ident(schema));
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + qualified + " ("
                    + "version text NOT NULL,"
                    + " kind text NOT NULL CHECK (kind IN ('schema', 'data')),"
                    + " name text NOT NULL,"
                    + " checksum text NOT NULL,"
                    + " status text NOT NULL CHECK (status IN ('applied', 'failed', 'running', 'baseline')),"
                    + " statements_done integer NOT NULL DEFAULT 0,"
                    + " statements_total integer NOT NULL DEFAULT 0,"
                    + " error text,"
                    + " applied_at timestamptz NOT NULL DEFAULT now(),"
                    + " duration_ms bigint NOT NULL DEFAULT 0,"
                    + " applied_by text,"
                    + " runway_version text,"
                    + " up_checksum text,"
                    + " down_checksum text,"
                    + " PRIMARY KEY (kind, version))");
        }
    }

    /**
     * Adds the up and down checksum columns to a history table created by an earlier Runway version (call with
     * the lock held, before writing a row). Older versions name their columns on insert, so they keep working.
     */
    public void addChecksumColumns(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + qualified + " ADD COLUMN IF NOT EXISTS up_checksum text, ADD COLUMN IF NOT EXISTS down_checksum text");
        }
    }

    /** Whether the table exists, and whether it has the up/down checksum columns. One round trip. */
    public record Shape(boolean exists, boolean checksumColumns) {
    }

    /** What {@link Shape} the table has. */
    public Shape shape(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(shapeSql())) {
            return shape(rs);
        }
    }

    /**
     * The query of {@link #shape(Connection)} as SQL text, for a caller that sends it together with other
     * statements (one round trip); pass its result to {@link #shape(ResultSet)}.
     */
    public String shapeSql() {
        String name = literal(qualified);
        return "SELECT to_regclass(" + name + ") IS NOT NULL, EXISTS (SELECT 1 FROM pg_attribute"
                + " WHERE attrelid = to_regclass(" + name + ") AND attname = 'down_checksum' AND NOT attisdropped)";
    }

    /** Reads the result of {@link #shapeSql()}. */
    public static Shape shape(ResultSet rs) throws SQLException {
        rs.next();
        return new Shape(rs.getBoolean(1), rs.getBoolean(2));
    }

    /** Every row of one kind, in version order (numeric, exact), from a table that has the checksum columns. */
    public List<HistoryRow> read(Connection c, MigrationKind kind) throws SQLException {
        return read(c, kind, true);
    }

    /**
     * Every row of one kind, in version order (numeric, exact); {@code checksumColumns} false reads a table an
     * earlier Runway version created (its rows have no up/down checksums).
     */
    public List<HistoryRow> read(Connection c, MigrationKind kind, boolean checksumColumns) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, name, checksum, status, statements_done, statements_total,"
                + " error, (extract(epoch FROM applied_at) * 1000000)::bigint, duration_ms, applied_by, runway_version, "
                + (checksumColumns ? "up_checksum, down_checksum" : "NULL, NULL") + " FROM " + qualified + " WHERE kind = ?")) {
            ps.setString(1, kind.name().toLowerCase());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // microseconds since the epoch: JDBC timestamps cost a cold JVM calendar set-up (~20 ms on a no-op)
                    long micros = rs.getLong(8);
                    Instant at = rs.wasNull() ? null
                            : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                    rows.add(new HistoryRow(MigrationVersion.fromHistory(rs.getString(1)), rs.getString(2), kind, rs.getString(3),
                            HistoryStatus.fromDb(rs.getString(4)), rs.getInt(5), rs.getInt(6), rs.getString(7),
                            at, rs.getLong(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13)));
                }
            }
        }
        rows.sort((a, b) -> a.version().compareTo(b.version()));
        return rows;
    }

    /** Inserts a row (applied, running, or baseline). */
    public void insert(Connection c, HistoryRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertInto + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.version().text());
            ps.setString(2, r.kind().name().toLowerCase());
            ps.setString(3, r.name());
            ps.setString(4, r.checksum());
            ps.setString(5, r.status().dbValue());
            ps.setInt(6, r.statementsDone());
            ps.setInt(7, r.statementsTotal());
            ps.setString(8, r.error());
            ps.setLong(9, r.durationMs());
            ps.setString(10, r.appliedBy());
            ps.setString(11, r.runwayVersion());
            ps.setString(12, r.upChecksum());
            ps.setString(13, r.downChecksum());
            ps.executeUpdate();
        }
    }

    /**
     * {@link #insert} as SQL text, for a caller that sends it in the same round trip as other statements
     * (the COMMIT of a migration's transaction). Values are escape-string literals, read the same whatever
     * the session's {@code standard_conforming_strings}.
     */
    public String insertSql(HistoryRow r) {
        return insertSql(r, Long.toString(r.durationMs()));
    }

    /** {@link #insertSql(HistoryRow)} with {@code duration_ms} given as the SQL expression {@code durationMs}. */
    public String insertSql(HistoryRow r, String durationMs) {
        // one builder, no intermediate strings: every transactional migration's message carries one (issue #15)
        StringBuilder b = new StringBuilder(insertInto.length() + 320).append(insertInto);
        text(b, r.version().text()).append(", ");
        text(b, kindText(r.kind())).append(", ");
        text(b, r.name()).append(", ");
        text(b, r.checksum()).append(", ");
        text(b, r.status().dbValue()).append(", ").append(r.statementsDone()).append(", ").append(r.statementsTotal()).append(", ");
        text(b, r.error()).append(", ").append(durationMs).append(", ");
        text(b, r.appliedBy()).append(", ");
        text(b, r.runwayVersion()).append(", ");
        text(b, r.upChecksum()).append(", ");
        return text(b, r.downChecksum()).append(')').toString();
    }

    /** {@link #delete} as SQL text (see {@link #insertSql}). */
    public String deleteSql(MigrationKind kind, MigrationVersion v) {
        return "DELETE FROM " + qualified + " WHERE kind = " + text(kindText(kind)) + " AND version = " + text(v.text());
    }

    /** An escape-string literal ({@code E'...'}), or NULL. */
    static String text(String v) {
        return v == null ? "NULL" : text(new StringBuilder(v.length() + 4), v).toString();
    }

    /** Appends {@link #text(String)} of {@code v} to {@code b}. */
    static StringBuilder text(StringBuilder b, String v) {
        if (v == null) {
            return b.append("NULL");
        }
        b.append("E'");
        if (v.indexOf('\\') < 0 && v.indexOf('\'') < 0) {
            return b.append(v).append('\''); // nearly every value: nothing to double
        }
        int from = 0;
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '\\' || ch == '\'') {
                b.append(v, from, i + 1).append(ch); // doubled
                from = i + 1;
            }
        }
        return b.append(v, from, v.length()).append('\'');
    }

    /** {@code kind.name().toLowerCase()}, made once per kind. */
    private static String kindText(MigrationKind kind) {
        return KIND_TEXTS[kind.ordinal()];
    }

    private static final String[] KIND_TEXTS = kindTexts();

    private static String[] kindTexts() {
        MigrationKind[] kinds = MigrationKind.values();
        String[] texts = new String[kinds.length];
        for (MigrationKind k : kinds) {
            texts[k.ordinal()] = k.name().toLowerCase();
        }
        return texts;
    }

    /** Records progress of a non-transactional migration (autocommit: it must survive a crash). */
    public void updateProgress(Connection c, MigrationKind kind, MigrationVersion v, HistoryStatus status, int done,
                               String error, long durationMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + qualified + " SET status = ?, statements_done = ?, error = ?,"
                + " duration_ms = ?, applied_at = now() WHERE kind = ? AND version = ?")) {
            ps.setString(1, status.dbValue());
            ps.setInt(2, done);
            ps.setString(3, error);
            ps.setLong(4, durationMs);
            ps.setString(5, kind.name().toLowerCase());
            ps.setString(6, v.text());
            ps.executeUpdate();
        }
    }

    /** Sets the checksums of a row (repair accepts the current file; an older row gets its up and down checksums). */
    public void updateChecksums(Connection c, MigrationKind kind, MigrationVersion v, String checksum, String upChecksum,
                                String downChecksum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + qualified + " SET checksum = ?, up_checksum = ?, down_checksum = ?"
                + " WHERE kind = ? AND version = ?")) {
            ps.setString(1, checksum);
            ps.setString(2, upChecksum);
            ps.setString(3, downChecksum);
            ps.setString(4, kind.name().toLowerCase());
            ps.setString(5, v.text());
            ps.executeUpdate();
        }
    }

    /** Deletes the rows of repeatable migrations ({@code R__...}): they run again on the next migrate. */
    public int deleteRepeatables(Connection c, MigrationKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified + " WHERE kind = ? AND version LIKE ?")) {
            ps.setString(1, kind.name().toLowerCase());
            ps.setString(2, MigrationVersion.REPEATABLE_PREFIX.replace("_", "\\_") + "%");
            return ps.executeUpdate();
        }
    }

    /** Deletes a row (rollback of that version, repair of a failed row with nothing done). */
    public int delete(Connection c, MigrationKind kind, MigrationVersion v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + qualified + " WHERE kind = ? AND version = ?")) {
            ps.setString(1, kind.name().toLowerCase());
            ps.setString(2, v.text());
            return ps.executeUpdate();
        }
    }
}
