package dev.runway.lint.internal.rules;

import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import java.util.List;

/**
 * A statement handed to the rules.
 *
 * @param sql    the statement (for a DO body, the inner statement re-scanned from the body)
 * @param tokens its tokens, starting at the command word
 * @param line   1-based line in the file
 * @param inner  true when it comes from inside a DO body, function or EXECUTE string
 * @param keyword {@code sql.keyword()}, worked out once: every rule asks for it
 */
record Stmt(SqlStatement sql, List<Token> tokens, int line, boolean inner, String keyword) {
    Stmt(SqlStatement sql, List<Token> tokens, int line, boolean inner) {
        this(sql, tokens, line, inner, sql.keyword());
    }

    boolean concurrently() {
        return sql.concurrently();
    }
}
