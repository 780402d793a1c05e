package dev.runway.cli;

import dev.runway.backfill.BackfillConfig;
import dev.runway.backfill.Backfiller;
import dev.runway.cli.config.Settings;

/** The backfill runner the data commands use, configured from the settings (replica URLs, class path of Java backfills). */
final class Backfills {
    private Backfills() {
    }

    static Backfiller runner(Settings s) {
        return new Backfiller(BackfillConfig.builder().replicas(s.replicaUrls()).classLoader(s.classLoader()).build());
    }
}
