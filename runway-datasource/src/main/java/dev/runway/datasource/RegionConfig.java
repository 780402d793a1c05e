package dev.runway.datasource;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.Durations;
import dev.runway.core.RunwayException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where this instance runs and where its databases are. Immutable; thread-safe. The only way to get one is
 * {@link #builder()} or {@link #fromEnvironment(Function)}, whose {@link Builder#build()} validates and throws
 * {@link RunwayException} (USAGE) naming the setting or environment variable at fault, so every instance is a
 * valid one. The token secret is copied in and never handed out: {@link #hasTokenSecret()} says whether there
 * is one, {@link #tokenSecret()} returns a copy.
 *
 * <p>{@code replicaUrl} is null when every connection goes to the primary: in the primary region,
 * or when no region is set (a developer machine), unless a replica URL is given explicitly.
 *
 * <p>The accessors:
 * <ul>
 *   <li>{@code region}: this instance's region ({@code FLY_REGION}), null when not on Fly</li>
 *   <li>{@code primaryRegion}: the primary's region ({@code PRIMARY_REGION}), null when not on Fly</li>
 *   <li>{@code primaryUrl}: the writable database ({@code DATABASE_URL})</li>
 *   <li>{@code replicaUrl}: the local read replica, or null</li>
 *   <li>{@code readYourWrites}: whether reads wait for the session's last write to be replayed</li>
 *   <li>{@code waitTimeout}: longest wait for the local replica before {@code timeoutPolicy} applies</li>
 *   <li>{@code timeoutPolicy}: what a read does after {@code waitTimeout}</li>
 *   <li>{@code maxLag}: a replica that keeps a waiter (or the lag check) longer than this counts as
 *       lagging; all reads then go to the primary until it has replayed the position it was behind</li>
 *   <li>{@code lagCheckInterval}: how often, while reads use the replica, the lag check compares it with
 *       the primary's current position ({@code RUNWAY_LAG_CHECK_INTERVAL}); zero turns it off</li>
 *   <li>{@code replicaRetry}: how often a replica that is down (or not a replica) is probed again</li>
 *   <li>{@code primaryPoolSize}, {@code replicaPoolSize}: maximum HikariCP pool sizes</li>
 *   <li>{@code primaryConnectTimeout}: longest wait for a primary connection before a write fails</li>
 *   <li>{@code tokenSecret}: HMAC key for consistency tokens (&ge; 32 bytes), or null: tokens disabled</li>
 *   <li>{@code minPollInterval}, {@code maxPollInterval}: shortest interval between two replay polls of the
 *       replica, and longest while someone waits</li>
 * </ul>
 */
public final class RegionConfig {
    private final String region;
    private final String primaryRegion;
    private final DatabaseUrl primaryUrl;
    private final DatabaseUrl replicaUrl;
    private final boolean readYourWrites;
    private final Duration waitTimeout;
    private final TimeoutPolicy timeoutPolicy;
    private final Duration maxLag;
    private final Duration lagCheckInterval;
    private final Duration replicaRetry;
    private final int primaryPoolSize;
    private final int replicaPoolSize;
    private final Duration primaryConnectTimeout;
    /** Never handed out: {@link #tokenSecret()} copies it. */
    private final byte[] tokenSecret;
    private final Duration minPollInterval;
    private final Duration maxPollInterval;

    /** Only {@link Builder#build()} calls this, with validated values; it copies the secret. */
    private RegionConfig(Builder b, String region, String primaryRegion, DatabaseUrl primaryUrl, DatabaseUrl replicaUrl,
                         Duration waitTimeout, TimeoutPolicy timeoutPolicy, Duration maxLag, Duration lagCheckInterval,
                         byte[] tokenSecret) {
        this.region = region;
        this.primaryRegion = primaryRegion;
        this.primaryUrl = primaryUrl;
        this.replicaUrl = replicaUrl;
        this.readYourWrites = b.readYourWrites == null || b.readYourWrites;
        this.waitTimeout = waitTimeout;
        this.timeoutPolicy = timeoutPolicy;
        this.maxLag = maxLag;
        this.lagCheckInterval = lagCheckInterval;
        this.replicaRetry = b.replicaRetry;
        this.primaryPoolSize = b.primaryPoolSize;
        this.replicaPoolSize = b.replicaPoolSize;
        this.primaryConnectTimeout = b.primaryConnectTimeout;
        this.tokenSecret = tokenSecret == null ? null : tokenSecret.clone();
        this.minPollInterval = b.minPollInterval;
        this.maxPollInterval = b.maxPollInterval;
    }

    public String region() {
        return region;
    }

    public String primaryRegion() {
        return primaryRegion;
    }

    public DatabaseUrl primaryUrl() {
        return primaryUrl;
    }

    public DatabaseUrl replicaUrl() {
        return replicaUrl;
    }

    public boolean readYourWrites() {
        return readYourWrites;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    public TimeoutPolicy timeoutPolicy() {
        return timeoutPolicy;
    }

    public Duration maxLag() {
        return maxLag;
    }

    public Duration lagCheckInterval() {
        return lagCheckInterval;
    }

    public Duration replicaRetry() {
        return replicaRetry;
    }

    public int primaryPoolSize() {
        return primaryPoolSize;
    }

    public int replicaPoolSize() {
        return replicaPoolSize;
    }

    public Duration primaryConnectTimeout() {
        return primaryConnectTimeout;
    }

    /** True when consistency tokens are on (a secret is set). */
    public boolean hasTokenSecret() {
        return tokenSecret != null;
    }

    /** A copy of the HMAC key for consistency tokens, or null when tokens are off; changing it changes nothing here. */
    public byte[] tokenSecret() {
        return tokenSecret == null ? null : tokenSecret.clone();
    }

    public Duration minPollInterval() {
        return minPollInterval;
    }

    public Duration maxPollInterval() {
        return maxPollInterval;
    }

    /** Environment variables read by {@link #fromEnvironment(Function)}. */
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String FLY_REGION = "FLY_REGION";
    public static final String PRIMARY_REGION = "PRIMARY_REGION";
    public static final String REPLICA_URL = "RUNWAY_REPLICA_URL";
    public static final String WAIT_TIMEOUT = "RUNWAY_WAIT_TIMEOUT";
    public static final String TIMEOUT_POLICY = "RUNWAY_TIMEOUT_POLICY";
    public static final String TOKEN_SECRET = "RUNWAY_TOKEN_SECRET";
    public static final String LAG_CHECK_INTERVAL = "RUNWAY_LAG_CHECK_INTERVAL";
    /** How far behind the replica may be before reads skip it (default: the wait timeout). */
    public static final String MAX_LAG = "RUNWAY_MAX_LAG";
    /** Fly's port for direct connections to a member, used for read replicas. */
    public static final int FLY_REPLICA_PORT = 5433;

    /** True when this instance should route reads to a replica at all. */
    public boolean hasReplica() {
        return replicaUrl != null;
    }

    /** True in the primary region, or when no region is set. */
    public boolean inPrimaryRegion() {
        return region == null || region.equals(primaryRegion);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder filled from environment variables as Fly sets them ({@code DATABASE_URL},
     * {@code FLY_REGION}, {@code PRIMARY_REGION}) plus Runway's own ({@code RUNWAY_*}). Later
     * builder calls override what the environment said.
     *
     * @param env variable lookup, e.g. {@code System::getenv}; returns null for unset
     */
    public static Builder fromEnvironment(Function<String, String> env) {
        Builder b = new Builder();
        b.env = env;
        return b;
    }

    /** Not thread-safe; {@link #build()} validates and derives the replica URL. */
    public static final class Builder {
        private Function<String, String> env = k -> null;
        private String region;
        private String primaryRegion;
        private DatabaseUrl primaryUrl;
        private DatabaseUrl replicaUrl;
        private boolean replicaUrlSet;
        private Boolean readYourWrites;
        private Duration waitTimeout;
        private TimeoutPolicy timeoutPolicy;
        private Duration maxLag;
        private Duration lagCheckInterval;
        private Duration replicaRetry = Duration.ofSeconds(1);
        private int primaryPoolSize = 10;
        private int replicaPoolSize = 10;
        private Duration primaryConnectTimeout = Duration.ofSeconds(5);
        private byte[] tokenSecret;
        private Duration minPollInterval = Duration.ofNanos(200_000);
        private Duration maxPollInterval = Duration.ofMillis(20);

        private Builder() {
        }

        public Builder region(String r) {
            region = r;
            return this;
        }

        public Builder primaryRegion(String r) {
            primaryRegion = r;
            return this;
        }

        public Builder primaryUrl(DatabaseUrl url) {
            primaryUrl = url;
            return this;
        }

        public Builder primaryUrl(String url) {
            return primaryUrl(DatabaseUrl.parse(url, "primaryUrl"));
        }

        /** An explicit replica; null forces "no replica" even outside the primary region. */
        public Builder replicaUrl(DatabaseUrl url) {
            replicaUrl = url;
            replicaUrlSet = true;
            return this;
        }

        public Builder replicaUrl(String url) {
            return replicaUrl(url == null ? null : DatabaseUrl.parse(url, "replicaUrl"));
        }

        public Builder readYourWrites(boolean on) {
            readYourWrites = on;
            return this;
        }

        public Builder waitTimeout(Duration d) {
            waitTimeout = d;
            return this;
        }

        public Builder timeoutPolicy(TimeoutPolicy p) {
            timeoutPolicy = p;
            return this;
        }

        public Builder maxLag(Duration d) {
            maxLag = d;
            return this;
        }

        /** How often the lag check runs while reads use the replica; {@link Duration#ZERO} turns it off. */
        public Builder lagCheckInterval(Duration d) {
            lagCheckInterval = d;
            return this;
        }

        public Builder replicaRetry(Duration d) {
            replicaRetry = d;
            return this;
        }

        public Builder poolSizes(int primary, int replica) {
            primaryPoolSize = primary;
            replicaPoolSize = replica;
            return this;
        }

        public Builder primaryConnectTimeout(Duration d) {
            primaryConnectTimeout = d;
            return this;
        }

        public Builder tokenSecret(byte[] secret) {
            tokenSecret = secret == null ? null : secret.clone();
            return this;
        }

        public Builder pollIntervals(Duration min, Duration max) {
            minPollInterval = min;
            maxPollInterval = max;
            return this;
        }

        /** @throws RunwayException (USAGE) naming the setting or environment variable at fault */
        public RegionConfig build() {
            String reg = firstNonBlank(region, env.apply(FLY_REGION));
            String preg = firstNonBlank(primaryRegion, env.apply(PRIMARY_REGION));
            if (reg != null && preg == null) {
                throw RunwayException.usage(FLY_REGION + "=" + reg + " is set but " + PRIMARY_REGION
                        + " is not: set " + PRIMARY_REGION + " to the primary database's region (fly.toml primary_region)");
            }
            DatabaseUrl primary = primaryUrl;
            if (primary == null) {
                String text = env.apply(DATABASE_URL);
                if (text == null || text.isBlank()) {
                    throw RunwayException.usage(DATABASE_URL + " is not set: give the primary database URL "
                            + "(postgres://user:pass@host:5432/db) in " + DATABASE_URL + " or RegionConfig.builder().primaryUrl(..)");
                }
                primary = DatabaseUrl.parse(text, DATABASE_URL);
            }
            DatabaseUrl replica = replicaUrl;
            if (!replicaUrlSet) {
                String text = env.apply(REPLICA_URL);
                if (text != null && !text.isBlank()) {
                    replica = DatabaseUrl.parse(text, REPLICA_URL);
                } else if (reg != null && !reg.equals(preg)) {
                    replica = flyReplicaUrl(primary);
                }
            }
            Duration wait = waitTimeout != null ? waitTimeout : envDuration(WAIT_TIMEOUT, Duration.ofSeconds(2));
            TimeoutPolicy policy = timeoutPolicy != null ? timeoutPolicy : envPolicy();
            byte[] secret = tokenSecret;
            if (secret == null && env.apply(TOKEN_SECRET) != null && !env.apply(TOKEN_SECRET).isEmpty()) {
                secret = env.apply(TOKEN_SECRET).getBytes(StandardCharsets.UTF_8);
            }
            if (secret != null && secret.length < 32) {
                throw RunwayException.usage(TOKEN_SECRET + " (tokenSecret) has " + secret.length
                        + " bytes; use at least 32 random bytes, e.g. `openssl rand -base64 32`");
            }
            Duration lag = maxLag != null ? maxLag : envDuration(MAX_LAG, wait);
            Duration lagCheck = lagCheckInterval != null ? lagCheckInterval : envLagCheckInterval();
            positive(wait, "waitTimeout (" + WAIT_TIMEOUT + ")");
            positive(lag, "maxLag (" + MAX_LAG + ")");
            if (lagCheck.isNegative()) {
                throw RunwayException.usage("lagCheckInterval (" + LAG_CHECK_INTERVAL + ") must be positive, or 0 to turn "
                        + "the lag check off (got " + lagCheck + ")");
            }
            positive(replicaRetry, "replicaRetry");
            positive(primaryConnectTimeout, "primaryConnectTimeout");
            positive(minPollInterval, "minPollInterval");
            if (maxPollInterval.compareTo(minPollInterval) < 0) {
                throw RunwayException.usage("maxPollInterval (" + maxPollInterval.toNanos() / 1000
                        + "us) is below minPollInterval (" + minPollInterval.toNanos() / 1000 + "us)");
            }
            if (primaryPoolSize < 1 || replicaPoolSize < 1) {
                throw RunwayException.usage("pool sizes must be at least 1 (got primary " + primaryPoolSize
                        + ", replica " + replicaPoolSize + ")");
            }
            return new RegionConfig(this, reg, preg, primary, replica, wait, policy, lag, lagCheck, secret);
        }

        private Duration envDuration(String key, Duration dflt) {
            String text = env.apply(key);
            return text == null || text.isBlank() ? dflt : Durations.parse(text, key);
        }

        /** Default 5 s; {@code 0} (with or without a unit) turns the check off. */
        private Duration envLagCheckInterval() {
            String text = env.apply(LAG_CHECK_INTERVAL);
            if (text == null || text.isBlank()) {
                return Duration.ofSeconds(5);
            }
            if (text.trim().equals("0")) {
                return Duration.ZERO;
            }
            return Durations.parse(text, LAG_CHECK_INTERVAL + " (0 turns the lag check off)");
        }

        private TimeoutPolicy envPolicy() {
            String text = env.apply(TIMEOUT_POLICY);
            if (text == null || text.isBlank()) {
                return TimeoutPolicy.READ_PRIMARY;
            }
            String norm = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (TimeoutPolicy p : TimeoutPolicy.values()) {
                if (p.name().equals(norm)) {
                    return p;
                }
            }
            throw RunwayException.usage(TIMEOUT_POLICY + "='" + text + "' is not one of read-primary, throw");
        }
    }

    /**
     * The replica URL Fly exposes to an instance outside the primary region: the nearest
     * instance of the database app ({@code top1.nearest.of.<host>}) on port 5433, which connects
     * to that member directly instead of through the writable-instance proxy on 5432. Flycast
     * hosts and hosts already naming {@code topN.nearest.of.} are kept (fly_postgres #23, #37).
     */
    public static DatabaseUrl flyReplicaUrl(DatabaseUrl primary) {
        String host = primary.host();
        if (host.startsWith("top2.nearest.of.")) {
            host = "top1.nearest.of." + host.substring("top2.nearest.of.".length());
        } else if (!host.contains(".flycast") && !host.startsWith("top1.nearest.of.") && !isLocal(host)) {
            host = "top1.nearest.of." + host;
        }
        return primary.withHostPort(host, FLY_REPLICA_PORT);
    }

    private static boolean isLocal(String host) {
        return host.equals("localhost") || host.matches("[0-9.]+") || host.contains(":");
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b == null || b.isBlank() ? null : b.trim();
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw RunwayException.usage(name + " must be positive (got " + d + ")");
        }
    }

    /** Masks the token secret and the passwords. */
    @Override
    public String toString() {
        return "RegionConfig[region=" + region + ", primaryRegion=" + primaryRegion + ", primaryUrl=" + primaryUrl
                + ", replicaUrl=" + replicaUrl + ", readYourWrites=" + readYourWrites + ", waitTimeout=" + waitTimeout
                + ", timeoutPolicy=" + timeoutPolicy + ", maxLag=" + maxLag + ", lagCheckInterval=" + lagCheckInterval
                + ", tokens=" + (tokenSecret != null) + "]";
    }
}
