package dev.runway.spring.boot.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.dir.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/** The migration run of {@link StartupMigrations}; loaded only when runway-migrate is on the class path. */
final class MigrationRun {
    private static final Logger LOG = LoggerFactory.getLogger("dev.runway.spring.boot.migrate");

    private MigrationRun() {
    }

    static void apply(DatabaseUrl url, Path dir, boolean data) {
        Runway runway = Runway.create(RunwayConfig.builder().url(url).dir(dir).applicationName("runway migrate-on-startup").build());
        MigrationListener log = new MigrationListener() {
            @Override
            public void migrationDone(Migration m, Direction direction, Duration took) {
                LOG.info("runway: applied {} in {} ms", m.displayName(), took.toMillis());
            }

            @Override
            public void notice(String message) {
                LOG.info("runway: {}", message);
            }
        };
        MigrateResult schema = runway.migrate(MigrateOptions.ALL, log);
        int applied = schema.done().size();
        if (data && Files.isDirectory(runway.config().dataDirOrDefault())) {
            applied += runway.migrateData(MigrateOptions.ALL, log, backfills()).done().size();
        }
        LOG.info("runway: migrate-on-startup applied {} migration(s) from {}", applied, dir.toAbsolutePath());
    }

    private static BackfillRunner backfills() {
        if (!ClassUtils.isPresent("dev.runway.backfill.Backfiller", MigrationRun.class.getClassLoader())) {
            return null; // a pending backfill is then refused with runway-migrate's own message
        }
        return new dev.runway.backfill.Backfiller();
    }
}
