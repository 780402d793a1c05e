package dev.runway.migrate.lock;

import dev.runway.core.Backoff;
import dev.runway.core.Durations;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.Sleeper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Runway's migration lock: a session-level advisory lock taken on the very session that runs the
 * migrations, so the lock lives exactly as long as the work (flyway/flyway#1654: a lock on a separate
 * session outlives a dead client's migration, or vice versa).
 *
 * <p>Waiters poll {@code pg_try_advisory_lock} with jittered back-off instead of blocking in
 * {@code pg_advisory_lock}: a blocked waiter holds a virtual transaction id, and
 * {@code CREATE INDEX CONCURRENTLY} waits for every such transaction, so the holder would wait for
 * the waiter forever. The key is derived from database, schema and history table, so unrelated
 * services that share a database do not block each other (ariga/atlas#3476).
 *
 * <p>Not thread-safe: one instance per migrating session.
 */
public final class MigrationLock implements AutoCloseable {
    private final Connection connection;
    private final long key;
    private boolean held;

    private MigrationLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The advisory lock key: the first 8 bytes of SHA-256("runway" database schema table). */
    public static long key(String database, String schema, String table) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest(("runway\0" + database + "\0" + schema + "\0" + table).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes the lock, waiting up to {@code maxWait}.
     *
     * @param onWait called now and then while waiting, with the holder (may be null if it just left) and the time waited
     * @throws LockWaitTimeoutException after {@code maxWait}, naming the holder
     */
    public static MigrationLock acquire(Connection c, long key, Duration maxWait, Clock clock, Sleeper sleeper,
                                        Backoff backoff, BiConsumer<LockHolder, Duration> onWait) {
        MigrationLock lock = new MigrationLock(c, key);
        Instant start = clock.instant();
        Instant deadline = start.plus(maxWait);
        Instant nextReport = start;
        int attempt = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        lock.held = true;
                        return lock;
                    }
                }
                Instant now = clock.instant();
                LockHolder holder = null;
                if (!now.isBefore(nextReport) || !now.isBefore(deadline)) {
                    holder = holder(c, key);
                    onWait.accept(holder, Duration.between(start, now));
                    nextReport = now.plusSeconds(5);
                }
                if (!now.isBefore(deadline)) {
                    String who = holder == null ? "another session (it just released it)" : holder.describe();
                    throw new LockWaitTimeoutException("migration lock still held by " + who + " after waiting "
                            + Durations.format(maxWait) + "; another release may be running (raise --lock-wait, or find the"
                            + " holder with: SELECT * FROM pg_stat_activity WHERE pid = " + (holder == null ? "<pid>" : holder.pid()) + ")");
                }
                Duration pause = backoff.delay(++attempt);
                Duration left = Duration.between(now, deadline);
                sleeper.sleep(pause.compareTo(left) > 0 ? left : pause);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "could not take the migration lock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted while waiting for the migration lock", e);
        }
    }

    /** Who holds advisory lock {@code key} in the current database, or null. */
    public static LockHolder holder(Connection c, long key) throws SQLException {
        // A bigint advisory key is split into classid (high 32 bits) and objid (low 32 bits), objsubid 1.
        String sql = "SELECT a.pid, a.application_name, host(a.client_addr), extract(epoch FROM now() - a.backend_start)::bigint,"
                + " a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.classid::bigint = ? AND l.objid::bigint = ? LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long age = rs.getLong(4);
                return new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3),
                        rs.wasNull() ? null : Duration.ofSeconds(age), rs.getString(5));
            }
        }
    }

    /**
     * Checks that this session really holds the lock. Behind a transaction-mode pooler (PgBouncer)
     * the next statement may run on another server session, where neither the lock nor our SETs
     * exist (flyway/flyway#2895); we refuse to migrate there.
     */
    public void verifyHeld() {
        String sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
                + " AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 1) {
                    throw new RunwayException(ErrorCode.USAGE, "the migration lock vanished between two statements: the"
                            + " connection goes through a transaction-mode pooler; point DATABASE_URL at the database directly"
                            + " (or a session-mode pool) for runway");
                }
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "could not verify the migration lock: " + e.getMessage(), e);
        }
    }

    /** Releases the lock; a broken connection releases it anyway when its session ends. */
    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        } catch (SQLException e) {
            // The session is gone or aborted; the server released the lock with it.
        }
    }
}
