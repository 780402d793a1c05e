package dev.runway.migrate;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.core.Sleeper;
import dev.runway.migrate.dir.Placeholders;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * Everything the migration engine needs to know. Built by {@link #builder()}, which validates in
 * {@link Builder#build()} and names the setting at fault. Immutable; thread-safe.
 *
 * @param url the database (password kept out of every message)
 * @param dir schema migrations; data migrations live in {@code dir/data} unless {@code dataDir} is set
 * @param lockWait how long to wait for another release holding the migration lock
 * @param lockTimeout {@code lock_timeout} for each migration: the longest stall our lock request may impose on other traffic
 * @param concurrentLockTimeout {@code lock_timeout} for CONCURRENTLY statements, which wait for old transactions by design
 * @param statementTimeout {@code statement_timeout} for schema migrations; zero = none
 * @param retries how many times a migration is tried when it hits {@code lock_timeout} (SQLSTATE 55P03)
 * @param appliedBy recorded in each history row (host, Fly machine, region, image)
 * @param placeholders values for {@code ${name}} in Flyway and Liquibase files (see {@link #placeholdersWithBuiltIns()})
 */
public record RunwayConfig(DatabaseUrl url, Path dir, Path dataDir, String schema, String table, Duration lockWait,
                           Duration lockTimeout, Duration concurrentLockTimeout, Duration statementTimeout, int retries,
                           Duration retryBase, Duration retryMax, boolean allowOutOfOrder, String applicationName,
                           String appliedBy, Clock clock, Sleeper sleeper, Random random, Placeholders placeholders) {

    public static Builder builder() {
        return new Builder();
    }

    /** This configuration with another sleeper (e.g. one that wakes up when a stop is requested). */
    public RunwayConfig withSleeper(Sleeper s) {
        return new RunwayConfig(url, dir, dataDir, schema, table, lockWait, lockTimeout, concurrentLockTimeout, statementTimeout,
                retries, retryBase, retryMax, allowOutOfOrder, applicationName, appliedBy, clock, s, random, placeholders);
    }

    /**
     * {@link #placeholders()} plus Flyway's built-ins: {@code flyway:defaultSchema} and {@code flyway:table} (the
     * history table's schema and name), {@code flyway:user} and {@code flyway:database} (from the URL).
     */
    public Placeholders placeholdersWithBuiltIns() {
        Map<String, String> b = new java.util.HashMap<>();
        b.put("flyway:defaultSchema", schema);
        b.put("flyway:table", table);
        if (url.user() != null) {
            b.put("flyway:user", url.user());
        }
        if (url.database() != null) {
            b.put("flyway:database", url.database());
        }
        return placeholders.with(b);
    }

    /** The data migrations directory. */
    public Path dataDirOrDefault() {
        return dataDir != null ? dataDir : dir.resolve("data");
    }

    /** Builder with Runway's defaults: the field initializers below (the CLI's settings and defaults: docs/configuration.md). */
    public static final class Builder {
        private DatabaseUrl url;
        private Path dir = Path.of("migrations");
        private Path dataDir;
        private String schema = "public";
        private String table = "runway_schema_history";
        private Duration lockWait = Duration.ofMinutes(2);
        private Duration lockTimeout = Duration.ofSeconds(1);
        private Duration concurrentLockTimeout = Duration.ofMinutes(5);
        private Duration statementTimeout = Duration.ZERO;
        private int retries = 10;
        private Duration retryBase = Duration.ofMillis(250);
        private Duration retryMax = Duration.ofSeconds(10);
        private boolean allowOutOfOrder;
        private String applicationName = "runway";
        private String appliedBy = AppliedBy.fromEnvironment(System::getenv);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Random random = new Random();
        private Placeholders placeholders = Placeholders.NONE;

        public Builder url(DatabaseUrl v) { this.url = v; return this; }
        public Builder dir(Path v) { this.dir = v; return this; }
        public Builder dataDir(Path v) { this.dataDir = v; return this; }
        public Builder schema(String v) { this.schema = v; return this; }
        public Builder table(String v) { this.table = v; return this; }
        public Builder lockWait(Duration v) { this.lockWait = v; return this; }
        public Builder lockTimeout(Duration v) { this.lockTimeout = v; return this; }
        public Builder concurrentLockTimeout(Duration v) { this.concurrentLockTimeout = v; return this; }
        public Builder statementTimeout(Duration v) { this.statementTimeout = v; return this; }
        public Builder retries(int v) { this.retries = v; return this; }
        public Builder retryBackoff(Duration base, Duration max) { this.retryBase = base; this.retryMax = max; return this; }
        public Builder allowOutOfOrder(boolean v) { this.allowOutOfOrder = v; return this; }
        public Builder applicationName(String v) { this.applicationName = v; return this; }
        public Builder appliedBy(String v) { this.appliedBy = v; return this; }
        public Builder clock(Clock v) { this.clock = v; return this; }
        public Builder sleeper(Sleeper v) { this.sleeper = v; return this; }
        public Builder random(Random v) { this.random = v; return this; }
        public Builder placeholders(Placeholders v) { this.placeholders = v; return this; }

        public RunwayConfig build() {
            if (url == null) {
                throw RunwayException.usage("url: no database given (set DATABASE_URL, pass --url, or set url in runway.toml)");
            }
            if (dir == null) {
                throw RunwayException.usage("dir: no migrations directory given");
            }
            requireName("schema", schema);
            requireName("table", table);
            requireNonNegative("lock-wait", lockWait);
            requirePositive("lock-timeout", lockTimeout);
            requireNonNegative("concurrent-lock-timeout", concurrentLockTimeout);
            requireNonNegative("statement-timeout", statementTimeout);
            if (retries < 1 || retries > 100) {
                throw RunwayException.usage("retries: " + retries + " is not between 1 and 100 (tries per migration on lock timeout)");
            }
            return new RunwayConfig(url, dir, dataDir, schema, table, lockWait, lockTimeout, concurrentLockTimeout,
                    statementTimeout, retries, retryBase, retryMax, allowOutOfOrder, applicationName, appliedBy, clock, sleeper, random,
                    placeholders == null ? Placeholders.NONE : placeholders);
        }

        private static void requireName(String key, String v) {
            if (!plainIdentifier(v)) {
                throw RunwayException.usage(key + ": '" + v + "' is not a plain identifier (letters, digits, _; at most 63)");
            }
        }

        /** [A-Za-z_][A-Za-z0-9_$]{0,62}, by hand: no regular expression to compile on every release's start (issue #15). */
        static boolean plainIdentifier(String v) {
            if (v == null || v.isEmpty() || v.length() > 63) {
                return false;
            }
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                boolean letter = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_';
                if (!letter && (i == 0 || !((ch >= '0' && ch <= '9') || ch == '$'))) {
                    return false;
                }
            }
            return true;
        }

        private static void requirePositive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw RunwayException.usage(key + ": must be a positive duration");
            }
        }

        private static void requireNonNegative(String key, Duration d) {
            if (d == null || d.isNegative()) {
                throw RunwayException.usage(key + ": must not be negative");
            }
        }
    }

    /** What a history row records about the machine that applied it. */
    public static final class AppliedBy {
        private AppliedBy() {
        }

        /** {@code host=web-1 fly_machine_id=.. fly_region=fra fly_image_ref=..}, the parts that are set. */
        public static String fromEnvironment(java.util.function.Function<String, String> env) {
            StringBuilder b = new StringBuilder();
            String host = env.apply("HOSTNAME");
            if (host == null) {
                try {
                    host = java.nio.file.Files.readString(Path.of("/etc/hostname")).trim();
                } catch (java.io.IOException | RuntimeException e) {
                    host = "unknown";
                }
            }
            b.append("host=").append(host);
            for (Map.Entry<String, String> e : Map.of("FLY_MACHINE_ID", "fly_machine_id", "FLY_REGION", "fly_region",
                    "FLY_IMAGE_REF", "fly_image_ref").entrySet()) {
                String v = env.apply(e.getKey());
                if (v != null && !v.isEmpty()) {
                    b.append(' ').append(e.getValue()).append('=').append(v);
                }
            }
            return b.toString();
        }
    }
}
