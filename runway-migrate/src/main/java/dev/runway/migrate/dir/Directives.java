package dev.runway.migrate.dir;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code -- runway:<name> <value>} directives of a migration, from the top of its file (before
 * {@code -- runway:up} in the native format). A null component means "not given": the caller's
 * default applies. Immutable; the list and map are unmodifiable.
 *
 * @param transaction      {@link TransactionMode#NONE} for {@code transaction none}, else null
 * @param lockTimeout      {@code lock-timeout <duration>}
 * @param statementTimeout {@code statement-timeout <duration>}
 * @param retries          {@code retries <n>}, 0 to 100
 * @param nolint           {@code nolint <RULE> <reason>}, in file order; these cover the whole migration (the
 *                         ones right before a statement are {@link Migration#upNolint()} and {@link Migration#downNolint()})
 * @param backfill         the raw {@code key=value} pairs of {@code backfill ...}, in file order; empty if absent
 * @param allowEmpty       {@code allow-empty}: an up section without statements is meant (otherwise it is refused when it would run)
 */
public record Directives(TransactionMode transaction, Duration lockTimeout, Duration statementTimeout, Integer retries,
                         List<Nolint> nolint, Map<String, String> backfill, boolean allowEmpty) {
    /** No directives at all. */
    public static final Directives NONE = new Directives(null, null, null, null, List.of(), Map.of(), false);

    public Directives {
        nolint = List.copyOf(nolint);
        backfill = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backfill));
    }
}
