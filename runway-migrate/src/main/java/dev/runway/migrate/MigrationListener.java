package dev.runway.migrate;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.lock.LockHolder;
import java.time.Duration;
import java.util.List;

/**
 * What the engine tells its caller while it works. The library never prints: the CLI renders these
 * events as text or JSON, an application may log them. Every method has an empty default. Called on
 * the migrating thread, in order.
 */
public interface MigrationListener {
    MigrationListener NONE = new MigrationListener() { };

    /** Another session holds the migration lock; called every few seconds while waiting. */
    default void lockWaiting(LockHolder holder, Duration waited) { }

    default void lockAcquired(Duration waited) { }

    /** The work decided under the lock: the migrations about to run (or be rolled back), in order. */
    default void planned(Direction direction, List<Migration> migrations) { }

    /** A migration starts; {@code attempt} counts lock-timeout retries from 1; {@code fromStatement} > 0 when resuming. */
    default void migrationStarted(Migration m, Direction direction, int attempt, int fromStatement) { }

    /**
     * Statement {@code index} of {@code m} is done, after {@code took} (as the server measured it, when the migration
     * went as one message). For a transactional migration the statements are reported as they end only when
     * {@link #liveStatements()}; otherwise they may come together once the migration's transaction has ended (it is
     * then sent as one message: one round trip instead of one per statement).
     */
    default void statementDone(Migration m, SqlStatement s, int index, Duration took) { }

    /**
     * Whether this listener shows a transactional migration's statements while it runs (a live progress display):
     * its statements then go one round trip each, so that each {@link #statementDone} comes as the statement ends.
     */
    default boolean liveStatements() {
        return false;
    }

    /** A statement hit lock_timeout; the migration (or the statement, when non-transactional) is tried again after {@code delay}. */
    default void retrying(Migration m, int attempt, int maxAttempts, Duration delay, String reason) { }

    default void migrationDone(Migration m, Direction direction, Duration took) { }

    /** A migration failed on {@code s} (null when it failed outside a statement). */
    default void migrationFailed(Migration m, SqlStatement s, String error) { }

    /** A backfill committed a batch (and its checkpoint), or finished ({@code p.done()}). */
    default void backfillProgress(Migration m, dev.runway.migrate.backfill.BackfillProgress p) { }

    /** A backfill is waiting before its next batch, e.g. "replica replica1 replay lag 3.1s > max-lag 2s"; repeated every few seconds while it waits. */
    default void backfillWaiting(Migration m, String reason, Duration waited) { }

    /** Something worth a line that is not an error: an INVALID index dropped, a row without a file. */
    default void notice(String message) { }

    /** Up or down. */
    enum Direction { UP, DOWN }
}
