package dev.runway.migrate.internal;

import dev.runway.core.pg.PgSession;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Before a {@code CREATE INDEX CONCURRENTLY} is tried again, finds an index of the same name left
 * INVALID by an earlier failed or interrupted build and drops it: otherwise the retry fails with
 * "already exists", or with IF NOT EXISTS silently keeps an index that is never used
 * (https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY).
 */
public final class IndexRepair {
    private IndexRepair() {
    }

    /** Outcome of {@link #prepare}. */
    public enum Outcome { NOTHING, DROPPED_INVALID, ALREADY_VALID }

    /**
     * The index name of a {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON ...}, as
     * SQL text (quoted as written), or null for any other statement or an unnamed index.
     */
    public static String indexName(SqlStatement s) {
        if (!s.concurrently() || !s.keyword().startsWith("CREATE") || !s.keyword().contains("INDEX")) {
            return null;
        }
        List<Token> t = s.tokens();
        int i = 0;
        while (i < t.size() && !is(t.get(i), "CONCURRENTLY")) {
            i++;
        }
        i++;
        if (i + 2 < t.size() && is(t.get(i), "IF") && is(t.get(i + 1), "NOT") && is(t.get(i + 2), "EXISTS")) {
            i += 3;
        }
        if (i >= t.size() || is(t.get(i), "ON")) {
            return null;
        }
        StringBuilder name = new StringBuilder(t.get(i).text());
        // schema-qualified: name . name
        if (i + 2 < t.size() && t.get(i + 1).text().equals(".")) {
            name.append('.').append(t.get(i + 2).text());
        }
        return name.toString();
    }

    private static boolean is(Token t, String word) {
        return t.type() == TokenType.WORD && t.text().equalsIgnoreCase(word);
    }

    /**
     * Drops an INVALID index named by {@code s}, or reports that a valid one already exists (the
     * build finished but its progress was not recorded before the crash).
     */
    public static Outcome prepare(Connection c, SqlStatement s) throws SQLException {
        String name = indexName(s);
        if (name == null) {
            return Outcome.NOTHING;
        }
        Boolean valid;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                valid = rs.next() ? rs.getBoolean(1) : null;
            }
        }
        if (valid == null) {
            return Outcome.NOTHING;
        }
        if (valid) {
            return Outcome.ALREADY_VALID;
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + name);
        }
        return Outcome.DROPPED_INVALID;
    }

    /** For messages: the name as written, or a literal of it. */
    static String quoted(String name) {
        return PgSession.literal(name);
    }
}
