package dev.runway.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the sizes users write in flags and config: {@code 10MB}, {@code 512kB},
 * {@code 1.5GB}, {@code 0}. Units are powers of 1024, as in PostgreSQL's {@code pg_size_pretty}
 * (https://www.postgresql.org/docs/current/functions-admin.html); case and a space before the unit
 * do not matter.
 */
public final class ByteSizes {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private ByteSizes() {
    }

    /**
     * @param where what to name in the error, e.g. {@code "--gate-small-table"}
     * @throws RunwayException (USAGE) naming {@code where} when the text is not a size
     */
    public static long parse(String text, String where) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw RunwayException.usage(where + ": '" + text + "' is not a size (write e.g. 10MB, 512kB, 1GB, or 0)");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int power = "bkmgt".indexOf(unit.charAt(0));
        double v = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
        if (v >= Long.MAX_VALUE) {
            throw RunwayException.usage(where + ": '" + text + "' is too large");
        }
        return (long) v;
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
