package dev.runway.migrate.backfill;

import dev.runway.core.RetryPolicy;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.time.Duration;

/**
 * What the engine hands a {@link BackfillRunner} for one migration: the locked session (autocommit
 * on; the runner opens one short transaction per batch and leaves autocommit on when it returns), the
 * timeouts of the run, where Runway keeps its tables, and the stop flag.
 *
 * @param connection       the session holding the migration lock
 * @param migration        the data migration with the directive
 * @param resuming         true when an earlier run of this migration stopped part-way (its history row is running);
 *                         false for a fresh start (a leftover checkpoint must then be discarded)
 * @param lockTimeout      {@code lock_timeout} for each batch transaction
 * @param statementTimeout {@code statement_timeout} for each batch transaction (zero = none)
 * @param retry            tries per batch on lock timeout (SQLSTATE 55P03), the back-off between them and the wait
 *                         (the migration's: its {@code retries}, Runway's back-off, the run's stop-aware sleeper)
 * @param schema           the schema of the history table; checkpoints live next to it
 * @param historyTable     the history table's name; the checkpoint table is {@code <historyTable>_backfill}
 * @param listener         progress events
 * @param stop             asked between batches; true = stop with the checkpoint saved
 * @param sleeper          for {@code pause}, lag waits and lock-timeout back-off (the run's, so tests can inject one)
 */
public record BackfillRun(Connection connection, Migration migration, boolean resuming, Duration lockTimeout,
                          Duration statementTimeout, RetryPolicy retry, String schema, String historyTable,
                          MigrationListener listener, java.util.function.BooleanSupplier stop,
                          dev.runway.core.Sleeper sleeper) {
    /** Tries per batch on lock timeout: {@code retry().attempts()}. */
    public int retries() {
        return retry.attempts();
    }

    public boolean stopRequested() {
        return stop.getAsBoolean();
    }
}
