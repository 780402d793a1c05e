package dev.runway.migrate.dir;

import dev.runway.core.RunwayException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A migration version: digits, optionally dot-separated ({@code 20250301120000}, {@code 1.2.10},
 * a 25-digit number). Compared numerically part by part with exact arithmetic, so any length works;
 * missing parts count as zero, so {@code 1.0} equals {@code 1}, and leading zeros do not matter
 * ({@code 001} equals {@code 1}). {@link #equals} and {@link #hashCode} agree with
 * {@link #compareTo}. Immutable.
 *
 * <p>Parts are kept as decimal strings without leading zeros and compared by length, then digit by
 * digit: exact for any length, and no big-number arithmetic on a release's start-up path, which
 * parses and orders every version of the directory.
 *
 * <p>A Flyway repeatable migration ({@code R__<description>.sql}) has no number: its version is
 * {@link #repeatable(String) repeatable}, written {@code R__<description>} in the history table, ordered
 * after every numbered version and among repeatables by description (Flyway runs them after the
 * versioned migrations, in that order).
 */
public final class MigrationVersion implements Comparable<MigrationVersion> {
    /** What the history table's version column holds before a repeatable migration's description. */
    public static final String REPEATABLE_PREFIX = "R__";
    private final String text;
    private final String[] digits;
    /** The description of a repeatable migration, else null. */
    private final String repeatable;

    private MigrationVersion(String text, String[] digits, String repeatable) {
        this.text = text;
        this.digits = digits;
        this.repeatable = repeatable;
    }

    /** The version of the repeatable migration {@code R__<description>.sql}. */
    public static MigrationVersion repeatable(String description) {
        if (description == null || description.isEmpty()) {
            throw RunwayException.usage("a repeatable migration needs a description (R__<description>.sql)");
        }
        return new MigrationVersion(REPEATABLE_PREFIX + description, new String[0], description);
    }

    /** A version as the history table stores it: {@link #parse} digits, or {@code R__<description>}. */
    public static MigrationVersion fromHistory(String text) {
        return text != null && text.startsWith(REPEATABLE_PREFIX) ? repeatable(text.substring(REPEATABLE_PREFIX.length()))
                : parse(text);
    }

    /** True for {@code 0} (any number of zeros and parts): the point before every migration. */
    public boolean isZero() {
        if (repeatable != null) {
            return false;
        }
        for (String d : digits) {
            if (!d.equals("0")) {
                return false;
            }
        }
        return true;
    }

    /** True for a repeatable migration's version. */
    public boolean isRepeatable() {
        return repeatable != null;
    }

    /**
     * Parses a version.
     *
     * @throws RunwayException (USAGE) when {@code text} is not digits separated by single dots
     */
    public static MigrationVersion parse(String text) {
        if (text == null || text.isEmpty()) {
            throw RunwayException.usage("migration version is empty (write digits, e.g. 20250301120000 or 1.2.10)");
        }
        int dots = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                throw notAVersion(text);
            }
        }
        String[] digits = new String[dots + 1];
        int start = 0;
        int part = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                if (i == start) {
                    throw notAVersion(text);
                }
                int first = start;
                while (first < i - 1 && text.charAt(first) == '0') {
                    first++;
                }
                digits[part++] = text.substring(first, i);
                start = i + 1;
            }
        }
        return new MigrationVersion(text, digits, null);
    }

    private static RunwayException notAVersion(String text) {
        return RunwayException.usage("'" + text + "' is not a migration version (write digits, optionally dot-separated: "
                + "20250301120000 or 1.2.10)");
    }

    /** The version as written in the file name. */
    public String text() {
        return text;
    }

    /** The numeric value of each dot-separated part; empty for a repeatable migration. */
    public List<BigInteger> parts() {
        List<BigInteger> parts = new ArrayList<>(digits.length);
        for (String d : digits) {
            parts.add(new BigInteger(d));
        }
        return Collections.unmodifiableList(parts);
    }

    @Override
    public int compareTo(MigrationVersion o) {
        if (repeatable != null || o.repeatable != null) {
            if (repeatable == null) {
                return -1;
            }
            return o.repeatable == null ? 1 : repeatable.compareTo(o.repeatable);
        }
        int n = Math.max(digits.length, o.digits.length);
        for (int i = 0; i < n; i++) {
            String a = i < digits.length ? digits[i] : "0";
            String b = i < o.digits.length ? o.digits[i] : "0";
            int c = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Equal when {@link #compareTo} says so: {@code 1.0} equals {@code 1}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MigrationVersion && compareTo((MigrationVersion) o) == 0;
    }

    @Override
    public int hashCode() {
        if (repeatable != null) {
            return repeatable.hashCode() * 31 + 7;
        }
        int end = digits.length;
        while (end > 0 && digits[end - 1].equals("0")) {
            end--;
        }
        int h = 1;
        for (int i = 0; i < end; i++) {
            h = 31 * h + digits[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return text;
    }
}
