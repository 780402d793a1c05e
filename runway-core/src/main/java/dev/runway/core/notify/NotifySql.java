package dev.runway.core.notify;

import dev.runway.core.RunwayException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The statements that send {@link Notice}s, and the checks on what they carry. Stateless; thread-safe.
 *
 * <p>Why the positions are safe (docs/datasource.md, "Transactional invalidation"): PostgreSQL
 * delivers a notification only after the sending transaction has committed
 * (https://www.postgresql.org/docs/current/sql-notify.html), and with {@code synchronous_commit} at
 * {@code local} or above COMMIT returns, and the commit becomes visible to other sessions, only after
 * its commit record is flushed. So {@code pg_current_wal_flush_lsn()} read after that COMMIT (by the
 * sender, {@link #positionSql}, or by a receiver after the notification arrived) is at or past the
 * commit record, and it is a position the walsender ships, so every replica reaches it.
 * {@link #sendOnCommit} therefore raises {@code synchronous_commit = off} to {@code local} for the
 * transaction it runs in (SET LOCAL; any other value is kept).
 */
public final class NotifySql {
    /** NOTIFY's payload "must be shorter than 8000 bytes" in the default configuration. */
    public static final int MAX_PAYLOAD_BYTES = 7999;
    /** Longest key, in UTF-8 bytes, that fits every message kind (the longest prefix is {@code c <16 hex> }). */
    public static final int MAX_KEY_BYTES = MAX_PAYLOAD_BYTES - "c 0123456789abcdef ".length();
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{16}");
    private static final String ON_COMMIT = "SELECT CASE WHEN current_setting('synchronous_commit') = 'off'"
            + " THEN set_config('synchronous_commit', 'local', true) END, (SELECT count(pg_notify(?, ? || k)) FROM unnest(?::text[]) AS k),"
            + " pg_current_xact_id()::text";
    /** Flush position, or the insert position for a session that commits asynchronously (its flush position may lag its commits). */
    private static final String PUBLISHED = "SELECT pg_notify(?, 'k ' || (CASE WHEN current_setting('synchronous_commit') = 'off'"
            + " THEN pg_current_wal_insert_lsn() ELSE pg_current_wal_flush_lsn() END)::text || ' ' || ?)";

    private NotifySql() {
    }

    /**
     * Returns {@code channel} if it is a lower-case SQL identifier (used unquoted in {@code LISTEN}).
     *
     * @throws RunwayException (USAGE) naming the channel otherwise
     */
    public static String channel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw RunwayException.usage("invalidation channel '" + channel + "' must be a lower-case SQL identifier"
                    + " (a-z, 0-9, _; at most 63 characters)");
        }
        return channel;
    }

    /** A fresh token that names one transaction's messages: 16 lower-case hex digits. */
    public static String token() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * Checks that {@code key} fits a NOTIFY payload.
     *
     * @throws RunwayException (USAGE) with the key's size and the limit, naming the key's start
     */
    public static void checkKey(String key) {
        if (key == null) {
            throw RunwayException.usage("invalidation key is null");
        }
        if (key.indexOf('\0') >= 0) {
            throw RunwayException.usage("invalidation key contains a NUL character, which PostgreSQL text cannot hold");
        }
        int bytes = key.length() <= MAX_KEY_BYTES / 3 ? key.length() : key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            String start = key.length() > 40 ? key.substring(0, 40) + "..." : key;
            throw RunwayException.usage("invalidation key '" + start.replaceAll("[\\r\\n]", " ") + "' is " + bytes
                    + " bytes; keys are limited to " + MAX_KEY_BYTES + " bytes (UTF-8) because a NOTIFY payload must be shorter"
                    + " than 8000 bytes: invalidate a shorter key (an id, or a hash of a long one)");
        }
    }

    /**
     * Sends one {@link Notice.OnCommit} per key on {@code c}'s open transaction (one round trip): they
     * are delivered when it commits, never if it rolls back. Raises {@code synchronous_commit = off}
     * to {@code local} for this transaction (see the class comment). Validate keys first
     * ({@link #checkKey}).
     *
     * @return the transaction's id ({@code pg_current_xact_id()}; a transaction that notifies has one)
     */
    public static String sendOnCommit(Connection c, String channel, String token, Collection<String> keys) throws SQLException {
        checkToken(token);
        Array array = c.createArrayOf("text", keys.toArray());
        try (PreparedStatement ps = c.prepareStatement(ON_COMMIT)) {
            ps.setString(1, channel(channel));
            ps.setString(2, "c " + token + " ");
            ps.setArray(3, array);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(3);
            }
        } finally {
            array.free();
        }
    }

    /**
     * The statement to run right after the COMMIT of a transaction that sent {@link Notice.OnCommit}s
     * with {@code token}, on the same session (append it to the COMMIT's round trip): it sends the
     * {@link Notice.Position} covering that commit. Channel and token are validated, so the text is
     * safe to inline.
     */
    public static String positionSql(String channel, String token) {
        checkToken(token);
        return "SELECT pg_notify('" + channel(channel) + "', 'p " + token + " ' || pg_current_wal_flush_lsn()::text)";
    }

    /**
     * Sends a {@link Notice.Published} for {@code key} on {@code c}, which must be in autocommit mode
     * and must have committed the write already (the position is read in the same statement, after it).
     */
    public static void sendPublished(Connection c, String channel, String key) throws SQLException {
        checkKey(key);
        try (PreparedStatement ps = c.prepareStatement(PUBLISHED)) {
            ps.setString(1, channel(channel));
            ps.setString(2, key);
            ps.execute();
        }
    }

    /**
     * After the round trip of a COMMIT (and Position notices) failed: whether transaction {@code xid}
     * committed anyway, so only what followed the COMMIT failed. False when it did not or cannot be
     * told (the caller then reports the original failure, to which a failure here is added).
     */
    public static boolean committed(Connection c, String xid, SQLException failure) {
        if (xid == null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_xact_status(?::xid8)")) {
            ps.setString(1, xid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "committed".equals(rs.getString(1));
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    private static void checkToken(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("not a notice token: " + token);
        }
    }
}
