package dev.runway.datasource.flags;

import dev.runway.core.flags.Flag;
import dev.runway.core.flags.Rollout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags as one instance evaluates them: per name, whether it can be on here (enabled, and this
 * region targeted), its percentage and its rollout seed. Immutable once built; read without locks.
 */
final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(List.of(), null);

    /** One flag, compiled for this instance's region. */
    static final class Rule {
        final boolean activeHere;
        final int percent;
        final long seed;

        Rule(Flag f, String region) {
            this.activeHere = f.enabled() && (f.regions().isEmpty() || (region != null && f.regions().contains(region)));
            this.percent = f.percent();
            this.seed = Rollout.seed(f.name());
        }
    }

    final List<Flag> flags;
    private final Map<String, Rule> rules;

    Snapshot(List<Flag> flags, String region) {
        this.flags = List.copyOf(flags);
        Map<String, Rule> m = new HashMap<>(flags.size() * 2);
        for (Flag f : flags) {
            m.put(f.name(), new Rule(f, region));
        }
        this.rules = m;
    }

    /** The rule of {@code name}, or null for an unknown flag. */
    Rule rule(String name) {
        return rules.get(name);
    }
}
