package dev.runway.migrate.dir.internal;

import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.Nolint;
import dev.runway.migrate.dir.TransactionMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code -- runway:<name> <value>} directive comments. Unknown names, bad values, a missing
 * nolint reason and repeated directives are USAGE errors naming {@code file:line}.
 */
public final class DirectiveParser {
    /** What every Runway comment starts with. */
    public static final String PREFIX = "runway:";
    private static final List<String> NAMES = List.of("transaction", "lock-timeout", "statement-timeout", "retries", "nolint", "backfill",
            "allow-empty");
    private static final String KNOWN = String.join(", ", NAMES);

    private DirectiveParser() {
    }

    /** The directive name of a comment that starts with {@link #PREFIX}: {@code "up"}, {@code "lock-timeout"}, ... */
    public static String name(LineComment c) {
        String body = c.text().substring(PREFIX.length());
        int sp = firstSpace(body);
        return sp < 0 ? body : body.substring(0, sp);
    }

    /** @param comments the directive comments, in file order; {@code where} names the file */
    public static Directives parse(List<LineComment> comments, String where) {
        if (comments.isEmpty()) {
            return Directives.NONE;
        }
        TransactionMode tx = null;
        Duration lockTimeout = null;
        Duration statementTimeout = null;
        Integer retries = null;
        List<Nolint> nolint = new ArrayList<>();
        Map<String, String> backfill = new LinkedHashMap<>();
        boolean allowEmpty = false;
        Map<String, Integer> seen = new HashMap<>();
        for (LineComment c : comments) {
            String name = name(c);
            String value = c.text().substring(PREFIX.length() + name.length()).strip();
            String at = where + ":" + c.line();
            switch (name) {
                case "transaction":
                    once(seen, name, c, at);
                    if (!value.equals("none")) {
                        throw RunwayException.usage(at + ": transaction takes 'none' (got '" + value
                                + "'); without the directive the migration runs in one transaction");
                    }
                    tx = TransactionMode.NONE;
                    break;
                case "lock-timeout":
                    once(seen, name, c, at);
                    lockTimeout = Durations.parse(required(value, name, "3s", at), at + ": lock-timeout");
                    break;
                case "statement-timeout":
                    once(seen, name, c, at);
                    statementTimeout = Durations.parse(required(value, name, "5m", at), at + ": statement-timeout");
                    break;
                case "retries":
                    once(seen, name, c, at);
                    retries = retries(required(value, name, "3", at), at);
                    break;
                case "nolint":
                    Nolint n = nolint(c, at);
                    once(seen, "nolint " + n.rule(), c, at);
                    nolint.add(n);
                    break;
                case "backfill":
                    once(seen, name, c, at);
                    backfill(required(value, name, "table=users key=id batch=5000", at), backfill, at);
                    break;
                case "allow-empty":
                    once(seen, name, c, at); // an optional reason may follow
                    allowEmpty = true;
                    break;
                default:
                    throw unknown(name, at);
            }
        }
        return new Directives(tx, lockTimeout, statementTimeout, retries, nolint, backfill, allowEmpty);
    }

    private static void once(Map<String, Integer> seen, String key, LineComment c, String at) {
        Integer first = seen.putIfAbsent(key, c.line());
        if (first != null) {
            throw RunwayException.usage(at + ": " + key + " given twice (lines " + first + " and " + c.line()
                    + "); keep one");
        }
    }

    private static String required(String value, String name, String example, String at) {
        if (value.isEmpty()) {
            throw RunwayException.usage(at + ": " + name + " needs a value, e.g. '-- runway:" + name + " " + example + "'");
        }
        return value;
    }

    private static int retries(String value, String at) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw RunwayException.usage(at + ": retries must be a whole number from 0 to 100 (got '" + value + "')");
    }

    /** True for the directive names {@link #parse} accepts. */
    static boolean known(String name) {
        return NAMES.contains(name);
    }

    /** The USAGE error for a directive whose name is not known. */
    static RunwayException unknown(String name, String at) {
        return RunwayException.usage(at + ": unknown directive '" + PREFIX + name + "' (known: " + KNOWN + ")");
    }

    /** Parses a {@code nolint} comment wherever it sits: a rule id and a reason, or a USAGE error naming {@code at}. */
    static Nolint nolint(LineComment c, String at) {
        String value = required(c.text().substring(PREFIX.length() + "nolint".length()).strip(), "nolint", "RW101 reason", at);
        int sp = firstSpace(value);
        String rule = sp < 0 ? value : value.substring(0, sp);
        String reason = sp < 0 ? "" : value.substring(sp).strip();
        if (!ruleId(rule)) {
            throw RunwayException.usage(at + ": nolint rule '" + rule + "' is not a rule id (write e.g. RW101)");
        }
        if (reason.isEmpty()) {
            throw RunwayException.usage(at + ": nolint " + rule + " needs a reason, e.g. '-- runway:nolint " + rule
                    + " table is empty in every environment'");
        }
        return new Nolint(rule, reason, c.line());
    }

    private static void backfill(String value, Map<String, String> into, String at) {
        for (String pair : value.split("\\s+")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (eq < 0 || eq == pair.length() - 1 || !backfillKey(key)) {
                throw RunwayException.usage(at + ": backfill takes key=value pairs separated by spaces (got '" + pair + "')");
            }
            if (into.putIfAbsent(key, pair.substring(eq + 1)) != null) {
                throw RunwayException.usage(at + ": backfill key '" + key + "' given twice");
            }
        }
    }

    /**
     * Whether {@code s} is {@code RW} and three ASCII digits (by hand, not a regular expression: compiling one is
     * a measurable part of a cold static check, which reads a nolint in most files).
     */
    private static boolean ruleId(String s) {
        return s.length() == 5 && s.charAt(0) == 'R' && s.charAt(1) == 'W' && digit(s.charAt(2)) && digit(s.charAt(3))
                && digit(s.charAt(4));
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code s} is a backfill key: an ASCII letter, then ASCII letters, digits, {@code _} and {@code -}. */
    private static boolean backfillKey(String s) {
        if (s.isEmpty() || !letter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!letter(c) && !digit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
