package dev.runway.migrate.internal;

import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import java.util.List;

/**
 * Which timeouts a migration file set for its session itself. Runway sets {@code lock_timeout} and
 * {@code statement_timeout} at the start of a migration (its transaction, or its first unit); a
 * {@code SET} in the file runs as written and wins from that statement on. Once the file has set one
 * for the session ({@code SET}, {@code SET SESSION}, {@code RESET}, {@code RESET ALL},
 * {@code set_config(name, value, false)}), Runway stops setting that one for the rest of the migration, so
 * the file's value holds for every later unit too. {@code SET LOCAL} inside a block wins for that block
 * only, as in PostgreSQL. Not thread-safe; one per migration run.
 */
final class SessionTimeouts {
    private boolean lockTimeout;
    private boolean statementTimeout;

    /** Records what {@code s}, which has just run (and, inside a block, committed), set for the session. */
    void saw(SqlStatement s) {
        lockTimeout |= setsSession(s, "lock_timeout");
        statementTimeout |= setsSession(s, "statement_timeout");
    }

    /** {@link #saw} for statements {@code from} (inclusive) to {@code to} (exclusive). */
    void saw(List<SqlStatement> statements, int from, int to) {
        for (int i = from; i < to; i++) {
            saw(statements.get(i));
        }
    }

    /** True once the file set lock_timeout for its session: Runway leaves it alone. */
    boolean fileSetLockTimeout() {
        return lockTimeout;
    }

    boolean fileSetStatementTimeout() {
        return statementTimeout;
    }

    /** True when {@code s} changes {@code param} for the session (not just for the current transaction). */
    static boolean setsSession(SqlStatement s, String param) {
        List<Token> t = s.tokens();
        if (t.isEmpty()) {
            return false;
        }
        if (t.get(0).isWord("SET")) {
            int i = t.size() > 1 && t.get(1).isWord("SESSION") ? 2 : 1;
            return i < t.size() && t.get(i).isWord(param);
        }
        if (t.get(0).isWord("RESET")) {
            return t.size() > 1 && (t.get(1).isWord(param) || t.get(1).isWord("ALL"));
        }
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).isWord("set_config") && t.get(i + 1).is("(") && t.get(i + 2).text().equalsIgnoreCase("'" + param + "'")) {
                return s.sessionSetting(); // set_config(..., false)
            }
        }
        return false;
    }

    /** True for a statement that only changes session settings and can be replayed on a new session. */
    static boolean replayable(SqlStatement s) {
        String k = s.keyword();
        return s.sessionSetting() && (k.startsWith("SET") || k.startsWith("RESET"));
    }
}
