package dev.runway.lint;

import dev.runway.core.RunwayException;
import java.util.Locale;

/** How much a finding matters: {@link #ERROR} blocks {@code check} (exit 3) and the release gate. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** Lower-case name as written in runway.toml, JSON and SARIF levels ("error", "warning", "info"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "error", "warning" or "info" (any case); {@code where} names the source in the error. */
    public static Severity parse(String text, String where) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw RunwayException.usage(where + ": '" + text + "' is not a severity (error, warning, info or off)");
    }
}
