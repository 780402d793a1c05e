package dev.runway.spring.boot;

import dev.runway.datasource.TimeoutPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code runway.*} settings of the starter. Every one can also come from an environment
 * variable, and Spring's usual order decides: command-line arguments and JVM system properties,
 * then environment variables, then {@code application.properties}/{@code .yml}, then the defaults.
 * Runway's own variables bind by Spring's relaxed rules ({@code RUNWAY_WAIT_TIMEOUT} is
 * {@code runway.wait-timeout}); the three Fly sets are read as environment variables of
 * {@code runway.database-url} ({@code DATABASE_URL}), {@code runway.region} ({@code FLY_REGION}) and
 * {@code runway.primary-region} ({@code PRIMARY_REGION}). So a value Fly sets always beats
 * a developer's {@code application.properties}. Unset values take the defaults of
 * {@link dev.runway.datasource.RegionConfig}.
 *
 * <p>A mutable bean, as Spring binds it; not thread-safe while binding, read-only after.
 */
@ConfigurationProperties("runway")
public class RunwayProperties {
    /** The primary, {@code postgres://user:pass@host:5432/db} or {@code jdbc:postgresql://...}; Fly sets DATABASE_URL. */
    private String databaseUrl;
    /** This instance's region; Fly sets FLY_REGION. */
    private String region;
    /** The primary database's region (fly.toml primary_region, PRIMARY_REGION); required when a region is set. */
    private String primaryRegion;
    /** The local replica; derived outside the primary region as Fly exposes it (top1.nearest.of.HOST:5433). */
    private String replicaUrl;
    /** Longest wait for the replica to show the session's writes (default 2s). */
    private Duration waitTimeout;
    /** What a read does after the wait timeout: read-primary (default) or throw. */
    private TimeoutPolicy timeoutPolicy;
    /** HMAC key (at least 32 bytes, the same on every instance) for consistency tokens across requests and regions. */
    private String tokenSecret;
    /** How often the lag check runs while reads use the replica (default 5s; 0 turns it off). */
    private Duration lagCheckInterval;
    /** A replica further behind than this stops getting reads (default: the wait timeout). */
    private Duration maxLag;
    /** How often a replica that is down is probed again (default 1s). */
    private Duration replicaRetry;
    /** A write waits this long for a primary connection, then fails (default 5s). */
    private Duration primaryConnectTimeout;
    /** Whether reads wait for the session's writes (default true). */
    private Boolean readYourWrites;
    private final Pool pool = new Pool();
    private final Toggle datasource = new Toggle();
    private final Toggle consistencyFilter = new Toggle();
    private final Toggle flyReplayFilter = new Toggle();
    /** Apply pending migrations when the application starts, for local development (in production the release command migrates). */
    private boolean migrateOnStartup;
    private final Migrations migrations = new Migrations();
    private final Health health = new Health();

    /** HikariCP maximum pool sizes. */
    public static class Pool {
        /** Maximum connections to the primary (default 10). */
        private Integer primarySize;
        /** Maximum connections to the replica (default 10). */
        private Integer replicaSize;

        public Integer getPrimarySize() {
            return primarySize;
        }

        public void setPrimarySize(Integer primarySize) {
            this.primarySize = primarySize;
        }

        public Integer getReplicaSize() {
            return replicaSize;
        }

        public void setReplicaSize(Integer replicaSize) {
            this.replicaSize = replicaSize;
        }
    }

    /** An on/off switch, on by default. */
    public static class Toggle {
        /** Whether this part of the starter is on. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Where {@code migrate-on-startup} finds its files. */
    public static class Migrations {
        /** The migrations directory (data migrations in its data/ subdirectory), relative to the working directory. */
        private String dir = "migrations";
        /** Whether data migrations (and backfills) run too. */
        private boolean data = true;

        public String getDir() {
            return dir;
        }

        public void setDir(String dir) {
            this.dir = dir;
        }

        public boolean isData() {
            return data;
        }

        public void setData(boolean data) {
            this.data = data;
        }
    }

    /** The {@code runway} health indicator. */
    public static class Health {
        /** Longest time the health check waits for each database to answer. */
        private Duration timeout = Duration.ofSeconds(2);

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    public String getDatabaseUrl() {
        return databaseUrl;
    }

    public void setDatabaseUrl(String databaseUrl) {
        this.databaseUrl = databaseUrl;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getPrimaryRegion() {
        return primaryRegion;
    }

    public void setPrimaryRegion(String primaryRegion) {
        this.primaryRegion = primaryRegion;
    }

    public String getReplicaUrl() {
        return replicaUrl;
    }

    public void setReplicaUrl(String replicaUrl) {
        this.replicaUrl = replicaUrl;
    }

    public Duration getWaitTimeout() {
        return waitTimeout;
    }

    public void setWaitTimeout(Duration waitTimeout) {
        this.waitTimeout = waitTimeout;
    }

    public TimeoutPolicy getTimeoutPolicy() {
        return timeoutPolicy;
    }

    public void setTimeoutPolicy(TimeoutPolicy timeoutPolicy) {
        this.timeoutPolicy = timeoutPolicy;
    }

    public String getTokenSecret() {
        return tokenSecret;
    }

    public void setTokenSecret(String tokenSecret) {
        this.tokenSecret = tokenSecret;
    }

    public Duration getLagCheckInterval() {
        return lagCheckInterval;
    }

    public void setLagCheckInterval(Duration lagCheckInterval) {
        this.lagCheckInterval = lagCheckInterval;
    }

    public Duration getMaxLag() {
        return maxLag;
    }

    public void setMaxLag(Duration maxLag) {
        this.maxLag = maxLag;
    }

    public Duration getReplicaRetry() {
        return replicaRetry;
    }

    public void setReplicaRetry(Duration replicaRetry) {
        this.replicaRetry = replicaRetry;
    }

    public Duration getPrimaryConnectTimeout() {
        return primaryConnectTimeout;
    }

    public void setPrimaryConnectTimeout(Duration primaryConnectTimeout) {
        this.primaryConnectTimeout = primaryConnectTimeout;
    }

    public Boolean getReadYourWrites() {
        return readYourWrites;
    }

    public void setReadYourWrites(Boolean readYourWrites) {
        this.readYourWrites = readYourWrites;
    }

    public Pool getPool() {
        return pool;
    }

    /** {@code runway.datasource.enabled=false} leaves the DataSource to Spring Boot (and turns the starter off). */
    public Toggle getDatasource() {
        return datasource;
    }

    /** {@code runway.consistency-filter.enabled}: read-your-writes across requests, instances and regions. */
    public Toggle getConsistencyFilter() {
        return consistencyFilter;
    }

    /** {@code runway.fly-replay-filter.enabled}: a write that reached a replica is replayed in the primary region. */
    public Toggle getFlyReplayFilter() {
        return flyReplayFilter;
    }

    public boolean isMigrateOnStartup() {
        return migrateOnStartup;
    }

    public void setMigrateOnStartup(boolean migrateOnStartup) {
        this.migrateOnStartup = migrateOnStartup;
    }

    public Migrations getMigrations() {
        return migrations;
    }

    public Health getHealth() {
        return health;
    }
}
