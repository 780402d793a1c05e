package dev.runway.bench;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs Flyway's {@code migrate} as a library, with Flyway's defaults (validateOnMigrate, the
 * database lock, {@code *:future} ignored ...): the Flyway 13.x command-line artifact does not
 * resolve from Maven Central alone, so the benchmark drives flyway-core + flyway-database-postgresql
 * the way an application or a small release launcher would. Run in its own JVM with default flags.
 *
 * <p>Usage: {@code FlywayLauncher JDBC_URL USER DIR}; exits 0 on success, 1 on failure.
 */
public final class FlywayLauncher {
    private FlywayLauncher() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: FlywayLauncher JDBC_URL USER DIR");
            System.exit(2);
        }
        try {
            MigrateResult r = Flyway.configure()
                    .dataSource(args[0], args[1], null)
                    .locations("filesystem:" + args[2])
                    .load()
                    .migrate();
            System.out.println("flyway: " + r.migrationsExecuted + " migrations executed, schema now at "
                    + r.targetSchemaVersion);
        } catch (RuntimeException e) {
            System.err.println("flyway: " + e);
            System.exit(1);
        }
    }
}
