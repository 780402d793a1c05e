package dev.runway.backfill.internal;

import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch statement with its {@code :lo} and {@code :hi} placeholders turned into JDBC bind parameters
 * (never pasted as text). Placeholders inside string literals, quoted identifiers, dollar quotes and
 * comments are left alone, as is {@code ::type} casting; a literal {@code ?} (jsonb operators) is
 * escaped as {@code ??} so pgjdbc does not take it for a parameter. Immutable.
 *
 * @param sql    the statement for {@code prepareStatement}
 * @param params for each {@code ?}, in order: true for {@code :lo}, false for {@code :hi}
 */
public record BoundSql(String sql, List<Boolean> params) {
    public BoundSql {
        params = List.copyOf(params);
    }

    public static BoundSql of(String text) {
        // The core scanner already knows strings (E'' escapes included), quoted identifiers, dollar
        // quotes and comments: only its tokens are looked at, everything between them is copied as is.
        List<Token> tokens = new ArrayList<>();
        for (SqlStatement st : SqlScanner.scan(text, "backfill statement").statements()) {
            tokens.addAll(st.tokens());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<Boolean> params = new ArrayList<>();
        int copied = 0;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            Token next = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
            if (t.is(":") && next != null && next.offset() == t.offset() + 1 && next.type() == TokenType.WORD
                    && (next.text().equals("lo") || next.text().equals("hi"))) {
                out.append(text, copied, t.offset()).append('?');
                params.add(next.text().equals("lo"));
                copied = next.offset() + next.text().length();
                k++;
            } else if (t.type() == TokenType.OPERATOR && t.text().indexOf('?') >= 0) {
                out.append(text, copied, t.offset()).append(t.text().replace("?", "??")); // jsonb ?, ?|, ?&
                copied = t.offset() + t.text().length();
            }
        }
        out.append(text, copied, text.length());
        return new BoundSql(out.toString(), params);
    }

    /** True when the statement uses both placeholders. */
    public boolean usesBoth() {
        return params.contains(true) && params.contains(false);
    }
}
