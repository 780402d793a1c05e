package dev.runway.spring.boot.internal;

import dev.runway.core.RunwayException;
import dev.runway.datasource.RunwayDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * {@code runway.migrate-on-startup=true}: applies the pending migrations of {@code runway.migrations.dir}
 * to the primary as soon as the {@link RunwayDataSource} bean exists, before anything that uses it
 * (JPA, repositories, runners) starts. For local development: in production the release command
 * migrates, once, before new instances start. A failed migration stops the application.
 */
public final class StartupMigrations implements BeanPostProcessor {
    private final Environment env;

    public StartupMigrations(Environment env) {
        this.env = env;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RunwayDataSource ds) {
            if (!ClassUtils.isPresent("dev.runway.migrate.Runway", getClass().getClassLoader())) {
                throw RunwayException.usage("runway.migrate-on-startup=true needs runway-migrate on the class path: add the "
                        + "dependency dev.runway:runway-migrate (and dev.runway:runway-backfill for backfills)");
            }
            Path dir = Path.of(env.getProperty("runway.migrations.dir", "migrations"));
            if (!Files.isDirectory(dir)) {
                throw RunwayException.usage("runway.migrate-on-startup=true but the migrations directory " + dir.toAbsolutePath()
                        + " does not exist (runway.migrations.dir, relative to the working directory)");
            }
            MigrationRun.apply(ds.config().primaryUrl(), dir, env.getProperty("runway.migrations.data", Boolean.class, true));
        }
        return bean;
    }
}
