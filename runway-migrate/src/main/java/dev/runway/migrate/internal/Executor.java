package dev.runway.migrate.internal;

import dev.runway.core.Backoff;
import dev.runway.core.Durations;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.backfill.BackfillRun;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.history.HistoryRow;
import dev.runway.migrate.history.HistoryStatus;
import dev.runway.migrate.history.HistoryTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one migration up or down on the locked session (DESIGN §3). Transactional migrations run in
 * one transaction with {@code SET LOCAL lock_timeout/statement_timeout}, recorded in the history in
 * that same transaction, and are retried whole on lock timeout. Non-transactional ones run statement
 * by statement in autocommit, recording progress after each so a re-run resumes.
 *
 * <p>Not thread-safe: one per migrating session.
 */
public final class Executor {
    private final RunwayConfig config;
    private final Connection c;
    private final HistoryTable history;
    private final MigrationListener listener;
    private final int serverMajor;
    private final AtomicBoolean stop;
    private final String runwayVersion;
    private boolean historyExists;

    public Executor(RunwayConfig config, Connection c, HistoryTable history, MigrationListener listener, int serverMajor,
                    AtomicBoolean stop, String runwayVersion, boolean historyExists) {
        this.historyExists = historyExists;
        this.config = config;
        this.c = c;
        this.history = history;
        this.listener = listener;
        this.serverMajor = serverMajor;
        this.stop = stop;
        this.runwayVersion = runwayVersion;
    }

    /** Creates the history table (under the lock) unless it exists: called just before the first change. */
    public void ensureHistory() {
        if (historyExists) {
            return;
        }
        try {
            history.create(c);
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, "cannot create " + history.displayName() + ": "
                    + SqlErrors.oneLine(e), e);
        }
        historyExists = true;
    }

    /** Applies {@code m}; {@code partial} is its RUNNING row when resuming a crashed run, else null. */
    public Duration up(Migration m, HistoryRow partial) {
        return m.transactionMode() == TransactionMode.NONE
                ? nonTransactionalUp(m, partial)
                : transactional(m, m.up(), Direction.UP);
    }

    /**
     * Runs (or resumes) the backfill of data migration {@code m} through {@code runner}. A {@code running}
     * history row is written first (autocommit), the runner commits batch by batch with its checkpoint, and
     * the row becomes {@code applied} only when the last batch is done. A stop request, a lock timeout or a
     * lost connection leave the row {@code running}: the next run resumes from the checkpoint. A failing
     * batch after committed ones leaves it {@code failed} with the error, so later runs refuse until
     * {@code runway repair} (which keeps the checkpoint); when no batch committed, nothing remains.
     */
    public Duration backfill(Migration m, HistoryRow partial, BackfillRunner runner) {
        long t0 = System.nanoTime();
        long earlier = partial != null ? partial.durationMs() : 0;
        try {
            c.setAutoCommit(true);
            if (partial == null) {
                // no statement count: a backfill's progress is its checkpoint
                history.insert(c, row(m, HistoryStatus.RUNNING, 0, 0, null, Duration.ZERO));
            }
            listener.migrationStarted(m, Direction.UP, 1, 0);
            boolean finished;
            try {
                finished = runner.run(new BackfillRun(c, m, partial != null, lockTimeout(m), statementTimeout(m), retries(m),
                        history.schema(), history.table(), listener, stop::get, config.sleeper()));
            } catch (RunwayException e) {
                // refused by the runner (e.g. its checks against the data): a fresh run that did nothing leaves nothing
                if (partial == null && !runner.anyBatchDone(c, m, history.schema(), history.table())) {
                    c.setAutoCommit(true);
                    history.delete(c, m.kind(), m.version());
                }
                throw e;
            }
            c.setAutoCommit(true);
            if (!finished) {
                history.updateProgress(c, m.kind(), m.version(), HistoryStatus.RUNNING, 0, null, elapsed(t0, earlier));
                resetSession();
                throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": backfill stopped on request; its"
                        + " checkpoint is saved and the next 'runway data migrate' resumes it");
            }
            Duration took = Duration.ofMillis(elapsed(t0, earlier));
            history.updateProgress(c, m.kind(), m.version(), HistoryStatus.APPLIED, 0, null, took.toMillis());
            resetSession();
            listener.migrationDone(m, Direction.UP, took);
            return took;
        } catch (SQLException e) {
            rollbackQuietly(e);
            String error = SqlErrors.oneLine(e);
            listener.migrationFailed(m, null, error);
            if (PgSession.isConnectionFailure(e)) {
                throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": lost the database connection (" + error
                        + "); committed batches stay done, run again to resume", e);
            }
            boolean nothingDone = false;
            boolean lock = SqlErrors.isLockTimeout(e);
            try {
                nothingDone = partial == null && !runner.anyBatchDone(c, m, history.schema(), history.table());
                if (nothingDone) {
                    history.delete(c, m.kind(), m.version()); // as if it never ran: a fixed file starts from the top
                } else {
                    history.updateProgress(c, m.kind(), m.version(), lock ? HistoryStatus.RUNNING : HistoryStatus.FAILED, 0,
                            lock ? null : error, elapsed(t0, earlier));
                }
                resetSession();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (nothingDone) {
                throw new RunwayException(lock ? ErrorCode.TEMPORARY : ErrorCode.MIGRATION_FAILED,
                        m.displayName() + ": " + error + "; the first batch was rolled back and nothing of the backfill remains", e);
            }
            if (lock) {
                throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": a batch could not get its locks in "
                        + retries(m) + " tries (" + error + "); committed batches stay done, run again to resume", e);
            }
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, m.displayName() + ": " + error + "; that batch was rolled"
                    + " back, earlier batches stay done (each committed with its checkpoint). Fix the cause, then 'runway repair'"
                    + " (it keeps the checkpoint) and run again to resume after the last committed batch", e);
        }
    }

    /** Runs the down section of {@code m} and deletes its history row. */
    public Duration down(Migration m) {
        if (m.down() == null) {
            throw new RunwayException(ErrorCode.USAGE, m.displayName() + ": has no down section, so it cannot be rolled back"
                    + " (add '-- runway:down' or a down file)");
        }
        if (m.downTransactionMode() == TransactionMode.NONE) {
            return nonTransactionalDown(m);
        }
        return transactional(m, m.down(), Direction.DOWN);
    }

    private int retries(Migration m) {
        return m.directives().retries() != null ? m.directives().retries() : config.retries();
    }

    private Duration lockTimeout(Migration m) {
        return m.directives().lockTimeout() != null ? m.directives().lockTimeout() : config.lockTimeout();
    }

    private Duration statementTimeout(Migration m) {
        return m.directives().statementTimeout() != null ? m.directives().statementTimeout() : config.statementTimeout();
    }

    private Backoff backoff() {
        return new Backoff(config.retryBase(), config.retryMax(), config.random());
    }

    private Duration transactional(Migration m, List<SqlStatement> statements, Direction dir) {
        int max = retries(m);
        for (int attempt = 1; ; attempt++) {
            listener.migrationStarted(m, dir, attempt, 0);
            long t0 = System.nanoTime();
            SqlStatement current = null;
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.setEscapeProcessing(false);
                    st.execute("SET LOCAL lock_timeout = " + millis(lockTimeout(m)) + "; SET LOCAL statement_timeout = "
                            + millis(statementTimeout(m)));
                    for (int i = 0; i < statements.size(); i++) {
                        current = statements.get(i);
                        long s0 = System.nanoTime();
                        st.execute(current.sql());
                        listener.statementDone(m, current, i, Duration.ofNanos(System.nanoTime() - s0));
                    }
                }
                current = null;
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (dir == Direction.UP) {
                    history.insert(c, row(m, HistoryStatus.APPLIED, 0, 0, null, took));
                } else {
                    history.delete(c, m.kind(), m.version());
                }
                c.commit();
                c.setAutoCommit(true);
                resetSessionIfNeeded(statements);
                listener.migrationDone(m, dir, took);
                return took;
            } catch (SQLException e) {
                rollbackQuietly(e);
                if (PgSession.isConnectionFailure(e)) {
                    throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": lost the database connection ("
                            + SqlErrors.oneLine(e) + "); its transaction was rolled back, run again", e);
                }
                if (SqlErrors.isLockTimeout(e) && attempt < max) {
                    Duration delay = backoff().delay(attempt);
                    listener.retrying(m, attempt, max, delay, "lock_timeout " + Durations.format(lockTimeout(m))
                            + " expired" + (current == null ? "" : " at line " + current.line()));
                    sleep(delay);
                    continue;
                }
                if (SqlErrors.isLockTimeout(e)) {
                    listener.migrationFailed(m, current, SqlErrors.oneLine(e));
                    throw new RunwayException(ErrorCode.TEMPORARY, where(m, current) + ": could not get its locks within "
                            + "lock_timeout " + Durations.format(lockTimeout(m)) + " in " + max + " tries; nothing was changed."
                            + " A long transaction holds a conflicting lock; run again later", e);
                }
                listener.migrationFailed(m, current, SqlErrors.oneLine(e));
                throw new RunwayException(ErrorCode.MIGRATION_FAILED, where(m, current) + ": " + SqlErrors.oneLine(e)
                        + "; the migration was rolled back, nothing was changed", e);
            }
        }
    }

    private Duration nonTransactionalUp(Migration m, HistoryRow partial) {
        List<SqlStatement> statements = m.up();
        int start = partial != null ? partial.statementsDone() : 0;
        long t0 = System.nanoTime();
        long earlier = partial != null ? partial.durationMs() : 0;
        int done = start;
        SqlStatement current = null;
        try {
            c.setAutoCommit(true);
            if (partial == null) {
                history.insert(c, row(m, HistoryStatus.RUNNING, 0, statements.size(), null, Duration.ZERO));
            } else {
                listener.notice(m.displayName() + ": resuming at statement " + (start + 1) + " of " + statements.size()
                        + " (an earlier run stopped there)");
            }
            listener.migrationStarted(m, Direction.UP, 1, start);
            String activeTimeout = null;
            boolean ownTransactions = statements.stream().anyMatch(SqlStatement::transactionControl);
            setSession("statement_timeout", millis(statementTimeout(m)));
            for (int i = start; i < statements.size(); i++) {
                if (stop.get()) {
                    throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": stopped on request after statement "
                            + i + " of " + statements.size() + "; run again to resume");
                }
                current = statements.get(i);
                String timeout = millis(current.concurrently() ? config.concurrentLockTimeout() : lockTimeout(m));
                if (!timeout.equals(activeTimeout)) {
                    setSession("lock_timeout", timeout);
                    activeTimeout = timeout;
                }
                // A statement that can run in a transaction commits together with its progress row, so a
                // crash never leaves it applied but unrecorded (it would run twice on resume). Files that
                // manage their own BEGIN/COMMIT, and statements like CREATE INDEX CONCURRENTLY, cannot be
                // wrapped; for those, resume relies on idempotence checks (see IndexRepair).
                boolean atomic = !ownTransactions && !current.nonTransactional();
                runResumable(m, current, i, i == start && partial != null, atomic ? done + 1 : -1, t0, earlier);
                done = i + 1;
                if (!atomic) {
                    history.updateProgress(c, m.kind(), m.version(), HistoryStatus.RUNNING, done, null, elapsed(t0, earlier));
                }
            }
            Duration took = Duration.ofMillis(elapsed(t0, earlier));
            history.updateProgress(c, m.kind(), m.version(), HistoryStatus.APPLIED, done, null, took.toMillis());
            resetSession();
            listener.migrationDone(m, Direction.UP, took);
            return took;
        } catch (SQLException e) {
            if (PgSession.isConnectionFailure(e)) {
                throw new RunwayException(ErrorCode.TEMPORARY, where(m, current) + ": lost the database connection ("
                        + SqlErrors.oneLine(e) + ") after " + done + " of " + statements.size()
                        + " statements; run again to resume", e);
            }
            String error = SqlErrors.oneLine(e);
            boolean lock = SqlErrors.isLockTimeout(e);
            try {
                // Lock timeouts leave the row resumable; any other error blocks until 'runway repair'.
                history.updateProgress(c, m.kind(), m.version(), lock ? HistoryStatus.RUNNING : HistoryStatus.FAILED, done,
                        lock ? null : error, elapsed(t0, earlier));
                resetSession();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            listener.migrationFailed(m, current, error);
            if (lock) {
                throw new RunwayException(ErrorCode.TEMPORARY, where(m, current) + ": could not get its locks in "
                        + retries(m) + " tries (" + error + "); statements 1.." + done + " stay applied; run again to resume", e);
            }
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, where(m, current) + ": " + error + "; statements 1.." + done
                    + " of " + statements.size() + " stay applied (non-transactional). Fix the cause, then 'runway repair' and"
                    + " run again to resume at statement " + (done + 1), e);
        }
    }

    /**
     * One statement of a non-transactional migration, retried on lock timeout. With {@code recordDone}
     * &gt;= 0 the statement runs in a transaction that also records {@code recordDone} statements done.
     */
    private void runResumable(Migration m, SqlStatement s, int index, boolean resuming, int recordDone, long t0,
                              long earlier) throws SQLException {
        int max = retries(m);
        for (int attempt = 1; ; attempt++) {
            IndexRepair.Outcome o = IndexRepair.prepare(c, s);
            if (o == IndexRepair.Outcome.DROPPED_INVALID) {
                listener.notice(m.displayName() + ":" + s.line() + ": dropped INVALID index " + IndexRepair.indexName(s)
                        + " left by an interrupted build, building it again");
            } else if (o == IndexRepair.Outcome.ALREADY_VALID && resuming) {
                listener.notice(m.displayName() + ":" + s.line() + ": index " + IndexRepair.indexName(s)
                        + " was built before the earlier run stopped; counting the statement as done");
                return;
            }
            long s0 = System.nanoTime();
            try (Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                if (recordDone >= 0) {
                    c.setAutoCommit(false);
                }
                st.execute(s.sql());
                if (recordDone >= 0) {
                    history.updateProgress(c, m.kind(), m.version(), HistoryStatus.RUNNING, recordDone, null, elapsed(t0, earlier));
                    c.commit();
                    c.setAutoCommit(true);
                }
                listener.statementDone(m, s, index, Duration.ofNanos(System.nanoTime() - s0));
                return;
            } catch (SQLException e) {
                if (recordDone >= 0) {
                    rollbackQuietly(e);
                }
                if (!SqlErrors.isLockTimeout(e) || attempt >= max) {
                    throw e;
                }
                Duration delay = backoff().delay(attempt);
                listener.retrying(m, attempt, max, delay, "lock_timeout expired at line " + s.line());
                sleep(delay);
            }
        }
    }

    private Duration nonTransactionalDown(Migration m) {
        List<SqlStatement> statements = m.down();
        long t0 = System.nanoTime();
        SqlStatement current = null;
        int done = 0;
        listener.migrationStarted(m, Direction.DOWN, 1, 0);
        try {
            c.setAutoCommit(true);
            setSession("lock_timeout", millis(lockTimeout(m)));
            for (int i = 0; i < statements.size(); i++) {
                current = statements.get(i);
                runResumable(m, current, i, false, -1, t0, 0);
                done = i + 1;
            }
            history.delete(c, m.kind(), m.version());
            resetSession();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            listener.migrationDone(m, Direction.DOWN, took);
            return took;
        } catch (SQLException e) {
            listener.migrationFailed(m, current, SqlErrors.oneLine(e));
            throw new RunwayException(PgSession.isConnectionFailure(e) ? ErrorCode.TEMPORARY : ErrorCode.MIGRATION_FAILED,
                    where(m, current) + ": " + SqlErrors.oneLine(e) + " (down, non-transactional: " + done + " of "
                            + statements.size() + " statements ran; the migration is still recorded as applied)", e);
        }
    }

    private HistoryRow row(Migration m, HistoryStatus status, int done, int total, String error, Duration took) {
        return new HistoryRow(m.version(), m.description(), m.kind(), m.checksum(), status, done, total, error, null,
                took.toMillis(), config.appliedBy(), runwayVersion);
    }

    private void setSession(String name, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET " + name + " = " + value);
        }
    }

    /**
     * Clears session state a migration may have changed (SET, SET ROLE, temp tables, LISTEN) without
     * {@code DISCARD ALL}, which would also release our advisory lock.
     */
    private void resetSession() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("RESET ALL; SET SESSION AUTHORIZATION DEFAULT; DISCARD TEMP; DISCARD PLANS; UNLISTEN *; CLOSE ALL");
        }
        PgSession.enableDeadClientDetection(c, serverMajor);
    }

    private void resetSessionIfNeeded(List<SqlStatement> statements) throws SQLException {
        for (SqlStatement s : statements) {
            String k = s.keyword();
            // SET (not LOCAL) outlives the transaction; functions called by SELECT/DO/CALL may use set_config().
            if (s.sessionSetting() || k.startsWith("SELECT") || k.startsWith("DO") || k.startsWith("CALL")
                    || k.contains("TEMP")) {
                resetSession();
                return;
            }
        }
    }

    private void rollbackQuietly(SQLException e) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setAutoCommit(true);
        } catch (SQLException r) {
            e.addSuppressed(r);
        }
    }

    private void sleep(Duration d) {
        try {
            config.sleeper().sleep(d);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted while waiting to retry", ie);
        }
    }

    private static long elapsed(long t0, long earlierMs) {
        return earlierMs + (System.nanoTime() - t0) / 1_000_000;
    }

    private static String where(Migration m, SqlStatement s) {
        return s == null ? m.displayName() : m.displayName() + ":" + s.line();
    }

    /** A duration as a SQL literal in milliseconds; 0 disables the timeout. */
    static String millis(Duration d) {
        return "'" + d.toMillis() + "ms'";
    }
}
