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
import java.sql.Statement;
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
 * <p>Behind a transaction-pooling proxy (PgBouncer {@code pool_mode=transaction}) one client's
 * statements run on whichever server session is free, and several clients share one server session:
 * a session lock taken there would be granted again to the next client landing on it (advisory locks
 * are re-entrant per session) and would outlive our client. So the lock is bound to the server
 * session that took it: acquiring refuses a session that already holds the lock (it is shared), and
 * {@link #verifyHeld()}, which the executor runs inside every migration's transaction and before every
 * non-transactional statement, refuses to go on when the statement runs on another server session or
 * the lock is gone (flyway/flyway#2895). Two runners therefore never run migrations at the same time,
 * whatever the pooler does; {@link dev.runway.core.pg.Pooling#detect} usually refuses such a
 * connection before the lock is even taken.
 *
 * <p>The lock is taken twice (advisory locks count levels per session), so the check that this session
 * still holds it can give one level back and take it again, which costs far less than reading
 * {@code pg_locks}, and the lock is never free in between. {@link #close()} gives both back.
 *
 * <p>Not thread-safe: one instance per migrating session.
 */
public final class MigrationLock implements AutoCloseable {
    /** Misrouted unlock attempts before the server session holding the lock is terminated instead. */
    private static final int UNLOCK_ATTEMPTS = 20;
    private static final String HELD_HERE = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            + " AND granted AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?";
    private final Connection connection;
    private final long key;
    private final String where;
    /** The key as an SQL literal ({@code Long.MIN_VALUE} has no plain literal). */
    private final String keySql;
    /** Built once the lock is taken (they name its server session): every transactional migration sends one. */
    private String checkSql;
    private String guardPrefix;
    private boolean held;
    private int serverPid;

    private MigrationLock(Connection connection, long key, String where) {
        this.connection = connection;
        this.key = key;
        this.where = where;
        this.keySql = "'" + key + "'::int8";
    }

    private void taken(int pid) {
        held = true;
        serverPid = pid;
        // The lock is held twice (two levels of the same session lock), so "give one back, take it again" proves this
        // session holds it without reading pg_locks (which walks the whole lock table: 0.3-0.5 ms per migration), and
        // never leaves it free: the level given back is not the last. Only a session that lost a level (a migration
        // ran pg_advisory_unlock) frees it for an instant; then another runner may take it, the take fails, and the
        // check refuses to go on, as for a lost lock. CASE runs its branches in order, one at most.
        String mine = "pg_backend_pid() <> " + pid;
        checkSql = "SELECT pg_backend_pid(), CASE WHEN " + mine + " THEN NULL WHEN pg_advisory_unlock(" + keySql
                + ") THEN pg_try_advisory_lock(" + keySql + ") ELSE false END";
        String failed = " THEN ('" + GUARD + "' || pg_backend_pid() || ' held false')::int8";
        guardPrefix = "SELECT CASE WHEN " + mine + failed + " WHEN NOT pg_advisory_unlock(" + keySql + ")" + failed
                + " WHEN NOT pg_try_advisory_lock(" + keySql + ")" + failed + " ELSE ";
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

    /** {@link #acquire(Connection, long, Duration, Clock, Sleeper, Backoff, BiConsumer, String)} for an unnamed address. */
    public static MigrationLock acquire(Connection c, long key, Duration maxWait, Clock clock, Sleeper sleeper,
                                        Backoff backoff, BiConsumer<LockHolder, Duration> onWait) {
        return acquire(c, key, maxWait, clock, sleeper, backoff, onWait, "the database");
    }

    /**
     * Takes the lock, waiting up to {@code maxWait}.
     *
     * @param onWait called now and then while waiting, with the holder (may be null if it just left) and the time waited
     * @param where  the (masked) address, for the message when the connection turns out to be pooled
     * @throws LockWaitTimeoutException after {@code maxWait}, naming the holder
     * @throws TransactionPoolingException when the server session is shared with another client
     */
    public static MigrationLock acquire(Connection c, long key, Duration maxWait, Clock clock, Sleeper sleeper,
                                        Backoff backoff, BiConsumer<LockHolder, Duration> onWait, String where) {
        MigrationLock lock = new MigrationLock(c, key, where);
        Instant start = clock.instant();
        Instant deadline = start.plus(maxWait);
        Instant nextReport = start;
        int attempt = 0;
        // Not re-entrant: a server session that already holds the lock is shared with another client.
        // Taken twice when free (see taken()): the second take of a lock this session holds cannot fail.
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN EXISTS (" + HELD_HERE + ") THEN NULL"
                + " WHEN pg_try_advisory_lock(?) THEN pg_try_advisory_lock(?) ELSE false END, pg_backend_pid()")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            ps.setLong(3, key);
            ps.setLong(4, key);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean got = rs.getBoolean(1);
                    if (rs.wasNull()) {
                        throw new TransactionPoolingException(where, "the server session answering already holds the"
                                + " migration lock for another client", "Nothing was changed.");
                    }
                    if (got) {
                        lock.taken(rs.getInt(2));
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
     * Checks, in one statement, that it runs on the server session that took the lock and that this
     * session still holds it. Inside a transaction the check covers the whole transaction (a pooler
     * keeps a transaction on one server session); in autocommit it covers the next statement only as
     * far as the pooler keeps us there, which no longer matters for exclusion: the lock stays on our
     * server session, so no other runner gets past its own check meanwhile.
     *
     * @throws TransactionPoolingException when the statement ran on another server session
     */
    public void verifyHeld() {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(checkSql())) {
            check(rs);
        } catch (SQLException e) {
            throw lost(e);
        }
    }

    /**
     * The check of {@link #verifyHeld()} as SQL text, for a caller that sends it together with other
     * statements (one round trip); pass its result to {@link #check(ResultSet)}.
     */
    public String checkSql() {
        return checkSql;
    }

    /** Judges the result of {@link #checkSql()}; see {@link #verifyHeld()}. */
    public void check(ResultSet rs) throws SQLException {
        rs.next();
        check(rs.getInt(1), rs.getBoolean(2));
    }

    /**
     * The check of {@link #verifyHeld()} as one statement that fails on the server when the check fails, for a caller
     * that sends it, in one message, before statements that must not run (nor commit) without the lock: an error ends
     * the message there. When the check passes, its result is one row with one column labelled {@code label} holding
     * {@code valueSql}; when it fails, the error names the server session and whether it holds the lock, and
     * {@link #guardFailure} turns it into the exception {@link #verifyHeld()} throws.
     */
    public String guardSql(String valueSql, String label) {
        // A text that is no bigint: the cast fails at run time, only in a failing branch (CASE evaluates lazily).
        return guardPrefix + valueSql + " END AS \"" + label + "\"";
    }

    /** What the failed check {@code e} of {@link #guardSql} means, as {@link #verifyHeld()} would throw it; null when {@code e} is another error. */
    public RuntimeException guardFailure(SQLException e) {
        String msg = e.getMessage();
        int at = msg == null ? -1 : msg.indexOf(GUARD);
        if (at < 0) {
            return null;
        }
        java.util.regex.Matcher r = GUARD_TEXT.matcher(msg.substring(at));
        if (!r.lookingAt()) {
            return null;
        }
        try {
            check(Integer.parseInt(r.group(1)), r.group(2).equals("true"));
        } catch (RuntimeException failed) {
            failed.addSuppressed(e);
            return failed;
        }
        return null; // a message that says the check passed: not the guard's
    }

    private static final String GUARD = "runway lock check: pid ";
    private static final java.util.regex.Pattern GUARD_TEXT = java.util.regex.Pattern.compile(
            java.util.regex.Pattern.quote(GUARD) + "(\\d+) held (true|false)");

    private void check(int pid, boolean held) {
        if (pid != serverPid) {
            throw new TransactionPoolingException(where, "the lock was taken on server session " + serverPid
                    + " but this statement ran on " + pid, "This run stopped before that statement; what it applied"
                    + " before is recorded, and a run through a direct address continues from there.");
        }
        if (!held) {
            throw new RunwayException(ErrorCode.USAGE, "the migration lock vanished from this session (pid " + pid
                    + "): a migration released it (DISCARD ALL, pg_advisory_unlock_all() or pg_advisory_unlock()?); nothing more was run");
        }
    }

    /** A check that could not run: the connection is gone (exit 75, run again), or another database error. */
    public static RunwayException lost(SQLException e) {
        return new RunwayException(ErrorCode.TEMPORARY, "lost the database connection while checking the migration lock ("
                + e.getMessage() + "); nothing more was run, run again to continue", e);
    }

    /** The server session ({@code pg_backend_pid()}) that holds the lock. */
    public int serverPid() {
        return serverPid;
    }

    /**
     * Releases the lock on the server session that holds it; a broken connection releases it anyway
     * when its session ends. Behind a transaction pooler the unlock may land on another server session
     * (where it does nothing): it is tried again, and if it never lands, the idle server session that
     * keeps the lock is terminated, so the lock does not outlive this run on a pooled connection.
     */
    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        // Both levels (see taken()); after a lost level the second gives false and a warning, still not NULL.
        try (PreparedStatement ps = connection.prepareStatement("SELECT CASE WHEN pg_backend_pid() = ? THEN"
                + " pg_advisory_unlock(?) AND pg_advisory_unlock(?) END")) {
            ps.setInt(1, serverPid);
            ps.setLong(2, key);
            ps.setLong(3, key);
            for (int i = 0; i < UNLOCK_ATTEMPTS; i++) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rs.getBoolean(1);
                    if (!rs.wasNull()) {
                        return;
                    }
                }
            }
            try (PreparedStatement t = connection.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ? AND state = 'idle'")) {
                t.setInt(1, serverPid);
                t.execute();
            }
        } catch (SQLException e) {
            // The session is gone or aborted; the server released the lock with it.
        }
    }
}
