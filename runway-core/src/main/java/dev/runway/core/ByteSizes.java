package dev.runway.core;

import java.util.Locale;

/**
 * Parses and prints the sizes users write in flags and config: {@code 10MB}, {@code 512kB},
 * {@code 1.5GB}, {@code 0}. Units are powers of 1024, as in PostgreSQL's {@code pg_size_pretty}
 * (https://www.postgresql.org/docs/current/functions-admin.html); case and a space before the unit
 * do not matter.
 */
public final class ByteSizes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private ByteSizes() {
    }

    /**
     * @param where what to name in the error, e.g. {@code "--gate-small-table"}
     * @throws RunwayException (USAGE) naming {@code where} when the text is not a size
     */
    public static long parse(String text, String where) {
        // What (\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)? matches, case aside (ASCII), read by hand: every command reads a
        // size setting, and compiling a regular expression is a measurable part of a cold start.
        String s = text == null ? "" : text.trim();
        int i = digits(s, 0);
        if (i > 0 && i < s.length() && s.charAt(i) == '.' && digits(s, i + 1) > i + 1) {
            i = digits(s, i + 1);
        }
        int end = i;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        int power = unit(s.substring(i));
        if (end == 0 || power < 0) {
            throw RunwayException.usage(where + ": '" + text + "' is not a size (write e.g. 10MB, 512kB, 1GB, or 0)");
        }
        double v = Double.parseDouble(s.substring(0, end)) * Math.pow(1024, power);
        if (v >= Long.MAX_VALUE) {
            throw RunwayException.usage(where + ": '" + text + "' is too large");
        }
        return (long) v;
    }

    /** The index after the ASCII digits of {@code s} from {@code from} on. */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** What {@code \s} matches: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** The power of 1024 of a unit (none = bytes; b, kb, mb, gb, tb in any ASCII case), or -1. */
    private static int unit(String u) {
        if (u.isEmpty()) {
            return 0;
        }
        char last = Character.toLowerCase(u.charAt(u.length() - 1));
        if (!isAscii(u) || last != 'b' || u.length() > 2) {
            return -1;
        }
        if (u.length() == 1) {
            return 0;
        }
        int k = "kmgt".indexOf(Character.toLowerCase(u.charAt(0)));
        return k < 0 ? -1 : k + 1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** "16 kB", "12 GB", "1.5 MB" (at most one decimal, none from 10 up). */
    public static String format(long bytes) {
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        String n = v >= 10 || u == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        return n.replaceAll("\\.0$", "") + " " + UNITS[u];
    }
}
