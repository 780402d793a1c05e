package dev.runway.core;

import java.time.Duration;

/**
 * Parses the durations users write in flags, directives and config: {@code 250ms}, {@code 3s}, {@code 2m}, {@code 1h}.
 * By hand, not with a regular expression: every release parses its timeouts, and compiling the pattern (with the
 * method handles its character classes link) was ~20 ms of a cold start's CPU, a tenth of a no-op release's main
 * thread (issue #15).
 */
public final class Durations {
    private Durations() {
    }

    /**
     * @param where what to name in the error, e.g. {@code "--lock-wait"} or {@code "file.sql:3"}
     * @throws RunwayException (USAGE) naming {@code where} when the text is not a duration
     */
    public static Duration parse(String text, String where) {
        String t = text == null ? "" : text.trim();
        int digits = 0;
        while (digits < t.length() && t.charAt(digits) >= '0' && t.charAt(digits) <= '9') {
            digits++;
        }
        String unit = t.substring(digits);
        if (digits == 0 || !(unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h"))) {
            throw RunwayException.usage(where + ": '" + text + "' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(t, 0, digits, 10);
        } catch (NumberFormatException e) {
            throw RunwayException.usage(where + ": '" + text + "' is too large");
        }
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
                return Duration.ofMinutes(n);
            default:
                return Duration.ofHours(n);
        }
    }

    /** The shortest exact form: {@code 1500ms}, {@code 3s}, {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
