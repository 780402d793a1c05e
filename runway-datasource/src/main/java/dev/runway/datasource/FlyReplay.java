package dev.runway.datasource;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Turns a write attempted on a read-only replica (SQLSTATE 25006, {@code read_only_sql_transaction})
 * in a non-primary region into Fly's {@code fly-replay} response header, which makes Fly's proxy
 * run the whole request again in the primary region. Immutable, thread-safe.
 *
 * <p>Loops are impossible by construction: no replay is offered in the primary region (a 25006
 * there is a real error), nor for a request that already carries {@code fly-replay-src} (it was
 * replayed once already), nor when the primary region is unknown. The whole request runs again, so
 * side effects done before the failing write (emails, calls to other services) run twice:
 * replay only requests that are safe to repeat, and prefer routing writes to the primary.
 */
public final class FlyReplay {
    /** The response header that asks Fly's proxy to replay. */
    public static final String HEADER = "fly-replay";
    /** The request header Fly's proxy adds to a replayed request. */
    public static final String SOURCE_HEADER = "fly-replay-src";
    /** SQLSTATE of a write on a read-only transaction or standby. */
    public static final String READ_ONLY_SQLSTATE = dev.runway.core.pg.SqlStates.READ_ONLY_SQL_TRANSACTION;
    /** Status to send with the header; Fly's proxy replaces the response, the client never sees it. */
    public static final int STATUS = 409;

    private final String region;
    private final String primaryRegion;

    private FlyReplay(String region, String primaryRegion) {
        this.region = region;
        this.primaryRegion = primaryRegion;
    }

    public static FlyReplay of(RegionConfig config) {
        return new FlyReplay(config.region(), config.primaryRegion());
    }

    public static FlyReplay of(String region, String primaryRegion) {
        return new FlyReplay(region, primaryRegion);
    }

    /** True when {@code t} or any cause is an SQLException with SQLSTATE 25006. */
    public static boolean isReadOnlyViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException) {
                for (SQLException s = (SQLException) c; s != null; s = s.getNextException()) {
                    if (READ_ONLY_SQLSTATE.equals(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The {@code fly-replay} header value for a failure, or empty when the failure must be handled
     * as an ordinary error.
     *
     * @param failure what the request threw
     * @param replaySource the request's {@code fly-replay-src} header, or null
     */
    public Optional<String> headerFor(Throwable failure, String replaySource) {
        if (!isReadOnlyViolation(failure) || primaryRegion == null || region == null || region.equals(primaryRegion)) {
            return Optional.empty();
        }
        if (replaySource != null && !replaySource.isBlank()) {
            return Optional.empty();
        }
        return Optional.of("region=" + primaryRegion + ";state=captured_write");
    }
}
