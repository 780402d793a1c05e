package dev.runway.bench.corpus;

import java.util.List;

/**
 * A migration history in the order its tool applies it, plus what the harness left out and why
 * (files no SQL client can run, such as goose Go migrations or Flyway Java migrations). Immutable.
 */
public record ReferenceHistory(List<RefMigration> migrations, List<String> skipped) {
    public ReferenceHistory {
        migrations = List.copyOf(migrations);
        skipped = List.copyOf(skipped);
    }

    /** How many migrations have a down (a down file or section, even an empty one). */
    public long downs() {
        return migrations.stream().filter(m -> m.down() != null).count();
    }
}
