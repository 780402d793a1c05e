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
 * @param text  the version as written in the file name
 * @param parts the numeric value of each dot-separated part, unmodifiable
 */
public record MigrationVersion(String text, List<BigInteger> parts) implements Comparable<MigrationVersion> {

    public MigrationVersion {
        parts = List.copyOf(parts);
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
        List<BigInteger> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                if (i == start) {
                    throw notAVersion(text);
                }
                parts.add(new BigInteger(text.substring(start, i)));
                start = i + 1;
            } else if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw notAVersion(text);
            }
        }
        return new MigrationVersion(text, Collections.unmodifiableList(parts));
    }

    private static RunwayException notAVersion(String text) {
        return RunwayException.usage("'" + text + "' is not a migration version (write digits, optionally dot-separated: "
                + "20250301120000 or 1.2.10)");
    }

    @Override
    public int compareTo(MigrationVersion o) {
        int n = Math.max(parts.size(), o.parts.size());
        for (int i = 0; i < n; i++) {
            BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger b = i < o.parts.size() ? o.parts.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
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
        int end = parts.size();
        while (end > 0 && parts.get(end - 1).signum() == 0) {
            end--;
        }
        return parts.subList(0, end).hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
