package dev.runway.backfill.internal;

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
        StringBuilder out = new StringBuilder(text.length());
        List<Boolean> params = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            int end = i + 1;
            if (ch == '\'' || ch == '"') {
                end = closing(text, i + 1, ch);
            } else if (ch == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (ch == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                end = blockEnd(text, i);
            } else if (ch == '$' && dollarTag(text, i) != null) {
                String tag = dollarTag(text, i);
                int close = text.indexOf(tag, i + tag.length());
                end = close < 0 ? n : close + tag.length();
            } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                end = i + 2; // a cast: ::int
            } else if (ch == ':' && placeholder(text, i, "lo")) {
                out.append('?');
                params.add(true);
                i += 3;
                continue;
            } else if (ch == ':' && placeholder(text, i, "hi")) {
                out.append('?');
                params.add(false);
                i += 3;
                continue;
            } else if (ch == '?') {
                out.append("??");
                i++;
                continue;
            }
            out.append(text, i, end);
            i = end;
        }
        return new BoundSql(out.toString(), params);
    }

    /** True when the statement uses both placeholders. */
    public boolean usesBoth() {
        return params.contains(true) && params.contains(false);
    }

    private static boolean placeholder(String s, int i, String name) {
        int e = i + 1 + name.length();
        return s.startsWith(name, i + 1) && (e >= s.length() || !Character.isLetterOrDigit(s.charAt(e)) && s.charAt(e) != '_');
    }

    private static int closing(String s, int from, char q) {
        for (int j = from; j < s.length(); j++) {
            if (s.charAt(j) == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                    j++;
                    continue;
                }
                return j + 1;
            }
        }
        return s.length();
    }

    private static int blockEnd(String s, int i) {
        int depth = 0;
        for (int j = i; j < s.length() - 1; j++) {
            if (s.charAt(j) == '/' && s.charAt(j + 1) == '*') {
                depth++;
                j++;
            } else if (s.charAt(j) == '*' && s.charAt(j + 1) == '/') {
                depth--;
                j++;
                if (depth == 0) {
                    return j + 1;
                }
            }
        }
        return s.length();
    }

    private static String dollarTag(String s, int i) {
        if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
            return null; // part of an identifier like a$b
        }
        int j = i + 1;
        while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_'
                || j > i + 1 && Character.isDigit(s.charAt(j)))) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
    }
}
