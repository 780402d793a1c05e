package dev.runway.core.sql;

import java.util.List;

/**
 * One top-level statement of a script, as PostgreSQL's {@code psql} would send it.
 *
 * <p>The classification methods look only at {@link #tokens()}, so words inside strings, quoted
 * identifiers, comments and dollar-quoted bodies ({@code DO $$ ... COMMIT; ... $$}) never count.
 * They are computed on each call from a handful of leading tokens (cheap). Immutable.
 *
 * @param sql     the exact text from the first token to the end of the last token (the {@code ;}
 *                and any whitespace or comments after the last token are not included; comments
 *                between tokens are kept)
 * @param line    1-based line of the first token
 * @param endLine 1-based line on which the last token ends
 * @param tokens  the significant tokens (no comments, no whitespace), unmodifiable; null for a statement that
 *                does not keep them ({@link #withoutTokens()}), whose {@link #tokens()} scans {@code sql} again
 */
public record SqlStatement(String sql, int line, int endLine, List<Token> tokens) {

    /**
     * The significant tokens. A statement made by {@link #withoutTokens()} scans its {@code sql} again on each call
     * (offsets are then relative to {@code sql}, lines still the file's).
     */
    @Override
    public List<Token> tokens() {
        if (tokens != null) {
            return tokens;
        }
        List<SqlStatement> again = SqlScanner.scan(sql, "statement", line).statements();
        return again.isEmpty() ? List.of() : again.get(0).tokens();
    }

    /**
     * The same statement without its tokens: a few dozen bytes besides its text instead of about ten times the text.
     * What a very large migration file keeps of each statement between reading it and running it.
     */
    public SqlStatement withoutTokens() {
        return tokens == null ? this : new SqlStatement(sql, line, endLine, null);
    }

    /**
     * The leading keywords that name the command, upper-cased and joined by one space:
     * {@code CREATE TABLE}, {@code CREATE UNIQUE INDEX}, {@code CREATE OR REPLACE FUNCTION},
     * {@code ALTER TABLE}, {@code DROP INDEX}, {@code DO}, {@code SET}, {@code SET ROLE},
     * {@code BEGIN}, {@code INSERT}, {@code VACUUM}, {@code REFRESH MATERIALIZED VIEW}, ...
     * Modifiers that precede the object type ({@code UNIQUE}, {@code TEMP}, {@code OR REPLACE})
     * are kept as written; {@code IF NOT EXISTS}, {@code CONCURRENTLY} and names are not.
     * Empty when the statement does not start with a word (e.g. {@code (SELECT 1)}).
     */
    public String keyword() {
        return Commands.head(tokens()).keyword();
    }

    /** True when PostgreSQL refuses to run this statement inside a transaction block. */
    public boolean nonTransactional() {
        return nonTransactionalReason() != null;
    }

    /**
     * Why this statement cannot run in a transaction block, naming the construct
     * ({@code "CREATE INDEX CONCURRENTLY"}, {@code "VACUUM"}, {@code "ALTER SYSTEM"}, ...), or null
     * when it can. {@code REFRESH MATERIALIZED VIEW CONCURRENTLY}, {@code ALTER TYPE ... ADD VALUE}
     * (PostgreSQL 12+) and {@code CALL} are transactional.
     */
    public String nonTransactionalReason() {
        return Commands.nonTransactionalReason(tokens());
    }

    /**
     * True for statements that start, end or subdivide a transaction: {@code BEGIN},
     * {@code START TRANSACTION}, {@code COMMIT}, {@code END}, {@code ROLLBACK [TO]}, {@code ABORT},
     * {@code SAVEPOINT}, {@code RELEASE}, {@code PREPARE TRANSACTION}, {@code COMMIT PREPARED},
     * {@code ROLLBACK PREPARED}.
     */
    public boolean transactionControl() {
        return Commands.transactionControl(tokens());
    }

    /**
     * True when the statement changes session state that outlives it: {@code SET} (not
     * {@code SET LOCAL}, {@code SET CONSTRAINTS} or {@code SET TRANSACTION}), {@code SET ROLE},
     * {@code SET SESSION AUTHORIZATION}, {@code RESET}, {@code DISCARD}, {@code LISTEN},
     * {@code UNLISTEN}, {@code PREPARE}, {@code DEALLOCATE}, {@code LOAD}, and
     * {@code set_config(..., false)} calls.
     */
    public boolean sessionSetting() {
        return Commands.sessionSetting(tokens());
    }

    /** True when {@code CONCURRENTLY} is a keyword of this command (not text in a string, identifier or body). */
    public boolean concurrently() {
        return Commands.concurrently(tokens());
    }
}
