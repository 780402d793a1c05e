package dev.runway.lint;

import dev.runway.core.RunwayException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which rules run, at which severity, for which runner and PostgreSQL version. Immutable; built by
 * {@link #builder()} or {@link #fromEntries}, which validate every rule id and name the key at fault.
 *
 * <p>runway.toml form (read by the CLI):
 * <pre>
 * [lint]
 * mode = "runway"            # or "plain"
 * pg = 15                    # target major when no server says otherwise
 * disable = ["RW301"]
 * gate.small-table = "10MB"   # read by the CLI's settings (flag, environment), see TargetGate
 * [lint.severity]
 * RW102 = "error"            # error | warning | info | off
 * </pre>
 *
 * @param mode            runner semantics
 * @param pgMajor         target PostgreSQL major version for version-gated rules
 * @param severities      effective severity per rule; a rule absent from the map is disabled
 * @param smallTableBytes judged against a target ({@link TargetGate}): a lock or rewrite finding on an existing
 *                        table smaller than this passes with an info line
 */
public record LintConfig(Mode mode, int pgMajor, Map<RuleId, Severity> severities, long smallTableBytes) {
    /** The major assumed when neither a server nor {@code --pg} nor runway.toml says. */
    public static final int DEFAULT_PG = 15;
    /** {@code gate.small-table} when not configured: 10 MB. */
    public static final long DEFAULT_SMALL_TABLE = 10L * 1024 * 1024;

    public LintConfig {
        severities = Collections.unmodifiableMap(new EnumMap<>(severities));
    }

    /** Every rule at its default severity, Runway mode, PostgreSQL 15. */
    public static LintConfig defaults() {
        return builder().build();
    }

    /** True unless disabled. */
    public boolean enabled(RuleId r) {
        return severities.containsKey(r);
    }

    /** Effective severity, or null when disabled. */
    public Severity severity(RuleId r) {
        return severities.get(r);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This config for another mode. */
    public LintConfig withMode(Mode m) {
        return new LintConfig(m, pgMajor, severities, smallTableBytes);
    }

    /** This config for another target major. */
    public LintConfig withPgMajor(int major) {
        return new LintConfig(mode, major, severities, smallTableBytes);
    }

    /** This config with another {@code gate.small-table}. */
    public LintConfig withSmallTable(long bytes) {
        if (bytes < 0) {
            throw RunwayException.usage("gate.small-table: " + bytes + " is negative");
        }
        return new LintConfig(mode, pgMajor, severities, bytes);
    }

    /**
     * Builds from flat entries: {@code mode}, {@code pg}, {@code disable} (comma-separated ids) and
     * {@code severity.RWnnn} (error | warning | info | off).
     *
     * @param entries key to value
     * @param where   key to its source for errors, e.g. "runway.toml:12"; may return null
     */
    public static LintConfig fromEntries(Map<String, String> entries, java.util.function.Function<String, String> where) {
        Builder b = builder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            String src = where.apply(key);
            String at = (src == null ? "[lint]" : src) + " " + key;
            if (key.equals("mode")) {
                b.mode(Mode.parse(e.getValue(), at));
            } else if (key.equals("pg")) {
                b.pgMajor(parseMajor(e.getValue(), at));
            } else if (key.equals("disable")) {
                for (String id : e.getValue().split(",")) {
                    if (!id.isBlank()) {
                        b.disable(RuleId.parse(id, at));
                    }
                }
            } else if (key.startsWith("severity.")) {
                b.severity(RuleId.parse(key.substring("severity.".length()), at), e.getValue(), at);
            } else {
                throw RunwayException.usage(at + ": unknown [lint] key (known: mode, pg, disable, severity.RWnnn)");
            }
        }
        return b.build();
    }

    /** Parses a major version such as "15" or "15.4". */
    public static int parseMajor(String text, String where) {
        try {
            String t = text.trim();
            int dot = t.indexOf('.');
            int v = Integer.parseInt(dot < 0 ? t : t.substring(0, dot));
            if (v < 9 || v > 99) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw RunwayException.usage(where + ": '" + text + "' is not a PostgreSQL major version (e.g. 15)");
        }
    }

    /** Validating builder; not thread-safe. */
    public static final class Builder {
        private Mode mode = Mode.RUNWAY;
        private int pgMajor = DEFAULT_PG;
        private final Map<RuleId, Severity> severities = new EnumMap<>(RuleId.class);

        private Builder() {
            for (RuleId r : RuleId.values()) {
                severities.put(r, r.defaultSeverity());
            }
        }

        public Builder mode(Mode m) {
            this.mode = m;
            return this;
        }

        public Builder pgMajor(int major) {
            this.pgMajor = major;
            return this;
        }

        public Builder disable(RuleId r) {
            severities.remove(r);
            return this;
        }

        /** {@code level} is error, warning, info or off. */
        public Builder severity(RuleId r, String level, String where) {
            if (level.trim().equalsIgnoreCase("off")) {
                return disable(r);
            }
            severities.put(r, Severity.parse(level, where));
            return this;
        }

        public LintConfig build() {
            return new LintConfig(mode, pgMajor, severities, DEFAULT_SMALL_TABLE);
        }
    }
}
