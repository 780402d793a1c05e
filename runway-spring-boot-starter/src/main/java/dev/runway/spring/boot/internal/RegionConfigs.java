package dev.runway.spring.boot.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.datasource.RegionConfig;
import dev.runway.spring.boot.RunwayProperties;
import java.nio.charset.StandardCharsets;

/** Builds the data source's {@link RegionConfig} from the bound {@link RunwayProperties}. Stateless. */
public final class RegionConfigs {
    /** RegionConfig's defaults, for a setting given only in part. */
    private static final RegionConfig DEFAULTS = RegionConfig.builder().primaryUrl("postgres://defaults@localhost/db").build();

    private RegionConfigs() {
    }

    /**
     * Every value comes from the properties (Spring has already applied the environment); unset
     * ones keep {@link RegionConfig}'s defaults.
     *
     * @throws RunwayException (USAGE) naming the property and its environment variable
     */
    public static RegionConfig from(RunwayProperties p) {
        if (p.getDatabaseUrl() == null || p.getDatabaseUrl().isBlank()) {
            throw RunwayException.usage("DATABASE_URL (runway.database-url) is not set: give the primary database URL, "
                    + "postgres://user:pass@host:5432/db (fly postgres attach sets it), or set runway.datasource.enabled=false "
                    + "to leave the DataSource to Spring Boot");
        }
        RegionConfig.Builder b = RegionConfig.builder()
                .primaryUrl(DatabaseUrl.parse(p.getDatabaseUrl(), "DATABASE_URL (runway.database-url)"))
                .region(p.getRegion()).primaryRegion(p.getPrimaryRegion());
        if (p.getReplicaUrl() != null && !p.getReplicaUrl().isBlank()) {
            b.replicaUrl(DatabaseUrl.parse(p.getReplicaUrl(), "RUNWAY_REPLICA_URL (runway.replica-url)"));
        }
        if (p.getWaitTimeout() != null) {
            b.waitTimeout(p.getWaitTimeout());
        }
        if (p.getTimeoutPolicy() != null) {
            b.timeoutPolicy(p.getTimeoutPolicy());
        }
        if (p.getTokenSecret() != null && !p.getTokenSecret().isEmpty()) {
            b.tokenSecret(p.getTokenSecret().getBytes(StandardCharsets.UTF_8));
        }
        if (p.getLagCheckInterval() != null) {
            b.lagCheckInterval(p.getLagCheckInterval());
        }
        if (p.getMaxLag() != null) {
            b.maxLag(p.getMaxLag());
        }
        if (p.getReplicaRetry() != null) {
            b.replicaRetry(p.getReplicaRetry());
        }
        if (p.getPrimaryConnectTimeout() != null) {
            b.primaryConnectTimeout(p.getPrimaryConnectTimeout());
        }
        if (p.getReadYourWrites() != null) {
            b.readYourWrites(p.getReadYourWrites());
        }
        if (p.getPool().getPrimarySize() != null || p.getPool().getReplicaSize() != null) {
            b.poolSizes(p.getPool().getPrimarySize() != null ? p.getPool().getPrimarySize() : DEFAULTS.primaryPoolSize(),
                    p.getPool().getReplicaSize() != null ? p.getPool().getReplicaSize() : DEFAULTS.replicaPoolSize());
        }
        return b.build();
    }
}
