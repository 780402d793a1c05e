package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the static rules know about types and functions without a catalog. */
final class Types {
    /** Functions whose value differs per row: a default using them rewrites the table. */
    private static final Set<String> VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v4",
            "uuid_generate_v1mc", "uuidv7", "uuidv4", "clock_timestamp", "timeofday", "nextval", "txid_current", "gen_random_bytes",
            "setseed", "random_normal");
    /** Stable or immutable built-ins commonly used in defaults: evaluated once, catalog-only on PG11+. */
    private static final Set<String> NOT_VOLATILE = Set.of("now", "transaction_timestamp", "statement_timestamp", "lower", "upper",
            "coalesce", "jsonb_build_object", "json_build_object", "jsonb_build_array", "array", "make_interval", "to_jsonb",
            "current_setting", "concat", "length", "md5", "abs", "greatest", "least", "row", "interval", "date_trunc",
            "timezone", "jsonb", "json", "numeric", "int", "text", "varchar");

    /** Compiled when a type change is first judged, not whenever a default is (a cold JVM pays for each compile). */
    private static final class Patterns {
        static final Pattern VARCHAR = Pattern.compile("(varchar|char|character|bpchar|varbit|bit varying)\\((\\d+)\\)");
        static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+)(?:,(\\d+))?\\)");
    }

    private Types() {
    }

    /** 1 = certainly volatile, 0 = not volatile, -1 = unknown function (the trace decides). */
    static int volatility(List<Token> expr) {
        int result = 0;
        for (int i = 0; i + 1 < expr.size(); i++) {
            Token k = expr.get(i);
            if (k.type() == TokenType.WORD && expr.get(i + 1).is("(")) {
                String f = k.text().toLowerCase(Locale.ROOT);
                if (VOLATILE.contains(f)) {
                    return 1;
                }
                if (!NOT_VOLATILE.contains(f) && !(i > 0 && expr.get(i - 1).is("::"))) {
                    result = -1;
                }
            }
        }
        return result;
    }

    /**
     * True when changing {@code from} to {@code to} is known not to rewrite the table (binary-coercible
     * or a relaxed length/precision). {@code from} may be null (unknown): then false.
     */
    static boolean noRewrite(String from, String to) {
        if (from == null) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        boolean fromText = from.equals("text") || from.startsWith("varchar");
        if (fromText && (to.equals("text") || to.equals("varchar"))) {
            return true;
        }
        Matcher a = Patterns.VARCHAR.matcher(from);
        Matcher b = Patterns.VARCHAR.matcher(to);
        if (a.matches() && b.matches() && a.group(1).equals(b.group(1)) && a.group(1).startsWith("var")) {
            return Integer.parseInt(b.group(2)) >= Integer.parseInt(a.group(2));
        }
        Matcher n1 = Patterns.NUMERIC.matcher(from);
        Matcher n2 = Patterns.NUMERIC.matcher(to);
        if (n1.matches() && to.equals("numeric")) {
            return true;
        }
        if (n1.matches() && n2.matches()) {
            String s1 = n1.group(2) == null ? "0" : n1.group(2);
            String s2 = n2.group(2) == null ? "0" : n2.group(2);
            return s1.equals(s2) && Integer.parseInt(n2.group(1)) >= Integer.parseInt(n1.group(1));
        }
        return from.equals("cidr") && to.equals("inet");
    }
}
