package dev.runway.datasource;

/**
 * What {@link RunwayDataSource#acceptToken(String)} did with a consistency token. Only
 * {@link #ACCEPTED} changes anything; every other outcome leaves the session as it was, so a bad
 * or foreign token can cost staleness at worst, never an error.
 */
public enum TokenCheck {
    /** Valid: the session now requires the token's position. */
    ACCEPTED,
    /** No token given (null or empty). */
    ABSENT,
    /** Not of the form {@code v1.<system id>.<timeline>.<lsn>.<mac>}. */
    MALFORMED,
    /** The signature does not match (another secret, or tampered). */
    BAD_SIGNATURE,
    /** Signed by us but for another server or timeline (e.g. issued before a failover): meaningless here. */
    OTHER_SERVER,
    /** Tokens are disabled (no {@code RUNWAY_TOKEN_SECRET}) or the primary's identity is unknown (primary unreachable). */
    UNVERIFIABLE
}
