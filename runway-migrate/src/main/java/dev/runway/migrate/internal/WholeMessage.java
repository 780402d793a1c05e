package dev.runway.migrate.internal;

import dev.runway.core.sql.SqlStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A transactional migration that Runway opens itself, as one simple-protocol Query message, the way psql would send
 * the file wrapped in {@code BEGIN; … COMMIT;} but in one message instead of one per statement: {@code BEGIN}, the
 * lock check (which fails on the server when the lock is not held, so nothing after it runs; Runway's caller has it
 * set the {@code SET LOCAL}s once it has passed), each statement followed by a mark, the history row and {@code COMMIT}. One round trip per migration instead of one
 * per statement (issue #15).
 *
 * <p>A mark is a one-row result, labelled {@link #LABEL}, holding the microseconds since the server received the
 * message. The lock check carries the first mark. So the marks read before an error say which statement failed (the
 * one after the last mark) and how long each one before it took, measured by the server; the statements after it did
 * not run, as when they are sent one by one. A text the server cannot parse fails before any of it runs, with no mark:
 * the caller then runs the migration statement by statement, which names the statement as before.
 *
 * <p>Not thread-safe: one per attempt.
 */
final class WholeMessage {
    /** The label of a mark's column. */
    static final String LABEL = "runway_mark";
    /**
     * Microseconds since the server received the message (statement_timestamp(): the same for all of it). date_part,
     * not extract: its double is cheaper than extract's numeric (PostgreSQL 14+), and a migration's marks add up.
     */
    static final String NOW_US = "(date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000000)::int8";
    /** Milliseconds since the server received the message: the history row's duration. */
    static final String NOW_MS = "(date_part('epoch', clock_timestamp() - statement_timestamp()) * 1000)::int8";
    /** Above this much SQL a migration goes statement by statement: the server holds a message's parse trees at once. */
    static final int MAX_CHARS = 64 * 1024;

    private final List<SqlStatement> statements;
    private final String sql;
    private long[] marks = new long[8];
    private int seen;

    /**
     * @param guard    the first statement, carrying the first mark ({@link #NOW_US}, labelled {@link #LABEL})
     * @param settings the transaction's settings ({@code SET LOCAL}), run after the guard
     * @param record   the history change, run after the last statement's mark, before {@code COMMIT}
     */
    WholeMessage(String guard, List<String> settings, List<SqlStatement> statements, String record) {
        this.statements = statements;
        int chars = 512 + record.length();
        for (SqlStatement s : statements) {
            chars += s.sql().length() + 120;
        }
        StringBuilder b = new StringBuilder(chars);
        b.append("BEGIN;\n").append(guard).append(";\n");
        for (String s : settings) {
            b.append(s).append(";\n");
        }
        for (SqlStatement s : statements) {
            // a new line first: a statement may end in a line comment
            b.append(s.sql()).append("\n;\n").append(MARK).append(";\n");
        }
        b.append(record).append(";\nCOMMIT");
        this.sql = b.toString();
    }

    /** A mark as a statement of its own. */
    static final String MARK = "SELECT " + NOW_US + " AS " + LABEL;

    /** A mark as a statement of its own ({@link #MARK}). */
    static String mark() {
        return MARK;
    }

    /**
     * Whether {@code statements} can go as one message: small enough, and none changes how the server reads the text
     * that follows it (the server parses the whole message before running any of it, with the settings of its start).
     */
    static boolean fits(List<SqlStatement> statements) {
        long chars = 0;
        for (SqlStatement s : statements) {
            chars += s.sql().length();
            if (chars > MAX_CHARS) {
                return false;
            }
            if (readsTextAnew(s.sql())) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code sql} names a setting that changes how the server reads string literals. */
    static boolean readsTextAnew(String sql) {
        for (int i = sql.indexOf('_'); i >= 0; i = sql.indexOf('_', i + 1)) {
            if (sql.regionMatches(true, i - 8, "standard_conforming_strings", 0, 27)
                    || sql.regionMatches(true, i - 9, "backslash_quote", 0, 15)) {
                return true;
            }
        }
        return false;
    }

    String sql() {
        return sql;
    }

    /** Takes the next mark, as read. */
    void mark(long micros) {
        if (seen == marks.length) {
            marks = Arrays.copyOf(marks, seen * 2);
        }
        marks[seen++] = micros;
    }

    /** Whether any of the message ran (the lock check did). */
    boolean started() {
        return seen > 0;
    }

    /** The statements that completed. */
    int done() {
        return Math.max(0, Math.min(seen - 1, statements.size()));
    }

    /** The time statement {@code i} (< {@link #done()}) took on the server. */
    Duration took(int i) {
        return Duration.ofNanos((marks[i + 1] - marks[i]) * 1000);
    }

    /** After an error: the statement that failed, or null when it was Runway's own (the history row, COMMIT). */
    SqlStatement failed() {
        int i = done();
        return i < statements.size() ? statements.get(i) : null;
    }
}
