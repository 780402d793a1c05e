package dev.runway.migrate.dir;

import dev.runway.core.RunwayException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ${name}} placeholders in Flyway and Liquibase files, replaced before a file is split into
 * statements, as those runners do: everywhere in the text, comments and strings included. In a Flyway file
 * a placeholder without a value is an error naming {@code file:line} (Flyway refuses it too); in a
 * Liquibase changelog it stays as written (Liquibase leaves unknown changelog parameters alone). Names
 * match exactly, else ignoring case. Flyway's built-ins ({@code ${flyway:defaultSchema}},
 * {@code ${flyway:user}}, {@code ${flyway:database}}, {@code ${flyway:table}}, {@code ${flyway:filename}})
 * are filled in by the engine. Checksums cover the file as written, so a value that differs between
 * environments never changes them. Immutable.
 *
 * @param enabled false turns replacement off (Flyway's {@code placeholderReplacement=false}): files run as written
 * @param values  name to value
 */
public record Placeholders(boolean enabled, Map<String, String> values) {
    /** Replacement on, no values (only the built-ins the caller adds). */
    public static final Placeholders NONE = new Placeholders(true, Map.of());

    public Placeholders {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** These placeholders with {@code more} added (values given here win). */
    public Placeholders with(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(more);
        all.putAll(values);
        return new Placeholders(enabled, all);
    }

    /**
     * {@code text} with its placeholders replaced.
     *
     * @param where    the file, for errors
     * @param fileName the file's name, for {@code ${flyway:filename}}
     * @param strict   true for Flyway (a missing value is an error), false for Liquibase (left as written)
     */
    public String apply(String text, String where, String fileName, boolean strict) {
        if (!enabled || text.indexOf("${") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                String name = end < 0 ? null : text.substring(i + 2, end);
                if (name != null && validName(name)) {
                    String value = name.equals("flyway:filename") ? fileName : lookup(name);
                    if (value != null) {
                        out.append(value);
                        i = end + 1;
                        continue;
                    }
                    if (strict) {
                        throw RunwayException.usage(where + ":" + line + ": placeholder ${" + name + "} has no value; set it in"
                                + " runway.toml ([placeholders] " + name + " = \"...\") or as RUNWAY_PLACEHOLDERS_"
                                + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                                + ", or turn replacement off (placeholder_replacement = false)");
                    }
                }
            }
            if (c == '\n') {
                line++;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private String lookup(String name) {
        String v = values.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Letters, digits and {@code _ . - :}, as placeholder names are written. */
    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == ':')) {
                return false;
            }
        }
        return true;
    }
}
