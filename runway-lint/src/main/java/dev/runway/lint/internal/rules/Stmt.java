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
 */
record Stmt(SqlStatement sql, List<Token> tokens, int line, boolean inner) {
    String keyword() {
        return sql.keyword();
    }

    boolean concurrently() {
        return sql.concurrently();
    }
}
