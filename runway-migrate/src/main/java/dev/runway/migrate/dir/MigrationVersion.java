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
 */
public final class MigrationVersion implements Comparable<MigrationVersion> {
    private final String text;
    private final String[] digits;

    private MigrationVersion(String text, String[] digits) {
        this.text = text;
        this.digits = digits;
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
        return new MigrationVersion(text, digits);
    }

    private static RunwayException notAVersion(String text) {
        return RunwayException.usage("'" + text + "' is not a migration version (write digits, optionally dot-separated: "
                + "20250301120000 or 1.2.10)");
    }

    /** The version as written in the file name. */
    public String text() {
        return text;
    }

    /** The numeric value of each dot-separated part. */
    public List<BigInteger> parts() {
        List<BigInteger> parts = new ArrayList<>(digits.length);
        for (String d : digits) {
            parts.add(new BigInteger(d));
        }
        return Collections.unmodifiableList(parts);
    }

    @Override
    public int compareTo(MigrationVersion o) {
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
