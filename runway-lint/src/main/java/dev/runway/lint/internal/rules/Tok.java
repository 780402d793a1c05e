package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Token-list helpers for the rules: word tests, names, parenthesis skipping, comma splitting. */
final class Tok {
    private Tok() {
    }

    static boolean word(List<Token> t, int i, String w) {
        return i >= 0 && i < t.size() && t.get(i).isWord(w);
    }

    /** True when the words appear consecutively starting at {@code i}. */
    static boolean words(List<Token> t, int i, String... ws) {
        for (int k = 0; k < ws.length; k++) {
            if (!word(t, i + k, ws[k])) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first occurrence of the consecutive words at depth 0 from {@code from}, or -1. */
    static int find(List<Token> t, int from, int to, String... ws) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token k = t.get(i);
            if (k.is("(")) {
                depth++;
            } else if (k.is(")")) {
                depth--;
            } else if (depth == 0 && words(t, i, ws)) {
                return i;
            }
        }
        return -1;
    }

    static boolean has(List<Token> t, int from, int to, String... ws) {
        return find(t, from, to, ws) >= 0;
    }

    /** Index just past the ')' matching the '(' at {@code open}. */
    static int skipParens(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            if (t.get(i).is("(")) {
                depth++;
            } else if (t.get(i).is(")") && --depth == 0) {
                return i + 1;
            }
        }
        return t.size();
    }

    /** Identifier text case-folded like PostgreSQL: unquoted lower-cased, quoted kept without quotes. */
    static String ident(Token k) {
        if (k.type() == TokenType.QUOTED_IDENT) {
            String s = k.text();
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        }
        return k.text().toLowerCase(Locale.ROOT);
    }

    static boolean isName(List<Token> t, int i) {
        return i < t.size() && (t.get(i).type() == TokenType.WORD || t.get(i).type() == TokenType.QUOTED_IDENT);
    }

    /** A possibly qualified name at {@code i}: returns [unqualified name, index after]; null when none. */
    static Name name(List<Token> t, int i) {
        if (!isName(t, i)) {
            return null;
        }
        String last = ident(t.get(i));
        int j = i + 1;
        while (j + 1 < t.size() && t.get(j).is(".") && isName(t, j + 1)) {
            last = ident(t.get(j + 1));
            j += 2;
        }
        return new Name(last, j);
    }

    /** A name and the index of the token after it. */
    record Name(String name, int next) {
    }

    /** Skips IF EXISTS / IF NOT EXISTS / ONLY at {@code i}. */
    static int skipIfExistsOnly(List<Token> t, int i) {
        if (words(t, i, "IF", "NOT", "EXISTS")) {
            i += 3;
        } else if (words(t, i, "IF", "EXISTS")) {
            i += 2;
        }
        if (word(t, i, "ONLY")) {
            i++;
        }
        return i;
    }

    /** Ranges [from, to) of the comma-separated items at depth 0 between {@code from} and {@code to}. */
    static List<int[]> split(List<Token> t, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token k = t.get(i);
            if (k.is("(") || k.is("[")) {
                depth++;
            } else if (k.is(")") || k.is("]")) {
                depth--;
            } else if (depth == 0 && k.is(",")) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            out.add(new int[] {start, to});
        }
        return out;
    }

    /** The upper-cased text of tokens [from, to) joined by single spaces (for type names and messages). */
    static String text(List<Token> t, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to && i < t.size(); i++) {
            Token k = t.get(i);
            boolean glue = k.is("(") || k.is(")") || k.is(",") || k.is(".") || b.length() == 0
                    || b.charAt(b.length() - 1) == '(' || b.charAt(b.length() - 1) == '.';
            if (!glue) {
                b.append(' ');
            }
            b.append(k.type() == TokenType.WORD ? k.text().toLowerCase(Locale.ROOT) : k.text());
        }
        return b.toString();
    }
}
