package dev.runway.migrate.internal;

import dev.runway.core.Backoff;
import dev.runway.core.Durations;
import dev.runway.core.ErrorCode;
import dev.runway.core.RetryPolicy;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.SimpleProtocol;
import dev.runway.core.pg.SqlStates;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.backfill.BackfillRun;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.Unit;
import dev.runway.migrate.history.HistoryRow;
import dev.runway.migrate.history.HistoryStatus;
import dev.runway.migrate.history.HistoryTable;
import dev.runway.migrate.lock.MigrationLock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one migration up or down on the locked session. Transactional migrations run in
 * one transaction with {@code SET LOCAL lock_timeout/statement_timeout}, recorded in the history in
 * that same transaction, and are retried whole on lock timeout. Non-transactional ones run statement
 * by statement in autocommit, recording progress after each so a re-run resumes.
 *
 * <p>Durability: a transaction Runway opens for a migration that is not the run's last ({@link #moreFollow}) commits
 * with {@code synchronous_commit = off} (transaction-local), so the server does not wait for a WAL flush per migration.
 * The migration and its history row commit atomically either way, so a server crash can lose such a migration only
 * together with its row. Whenever the run ends, the WAL of those commits is flushed: by the last migration's commit
 * (at the session's synchronous_commit), or, when the run ends early, by {@link #flush}.
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
    private final MigrationLock lock;
    private boolean historyExists;
    private boolean checksumColumns;
    /** Whether the next migration is not the run's last: its own transaction may then commit asynchronously. */
    private boolean moreFollow;
    /** Whether a migration committed asynchronously after the last commit that flushed the WAL. */
    private boolean unflushed;

    /**
     * @param lock the lock this run holds: checked inside every migration's transaction and before every
     *             non-transactional statement ({@link MigrationLock#verifyHeld()}); null when the caller
     *             guarantees the session by other means (tests)
     */
    public Executor(RunwayConfig config, Connection c, HistoryTable history, MigrationListener listener, int serverMajor,
                    AtomicBoolean stop, String runwayVersion, HistoryTable.Shape shape, MigrationLock lock) {
        this.lock = lock;
        this.historyExists = shape.exists();
        this.checksumColumns = shape.checksumColumns();
        this.config = config;
        this.c = c;
        this.history = history;
        this.listener = listener;
        this.serverMajor = serverMajor;
        this.stop = stop;
        this.runwayVersion = runwayVersion;
    }

    /**
     * Creates the history table (under the lock) unless it exists, and adds the up/down checksum columns to one an
     * earlier Runway version created: called just before the first change.
     */
    public void ensureHistory() {
        if (historyExists && checksumColumns) {
            return;
        }
        try {
            c.setAutoCommit(true);
            if (historyExists) {
                history.addChecksumColumns(c);
            } else {
                history.create(c);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, "cannot create " + history.displayName() + ": "
                    + SqlErrors.oneLine(e), e);
        }
        historyExists = true;
        checksumColumns = true;
    }

    /**
     * Gives rows an earlier Runway version wrote (one whole-migration checksum) their up and down checksums, once
     * their file is verified against that checksum, so from now on a changed down is told apart from a changed up.
     */
    public void recordUpAndDownChecksums(List<dev.runway.migrate.MigrationStatus> verified) {
        ensureHistory();
        try {
            c.setAutoCommit(true);
            for (dev.runway.migrate.MigrationStatus s : verified) {
                // a down file added after the migration was applied: the row says it had none
                boolean downAddedSince = !s.row().checksum().equals(s.migration().checksum());
                history.updateChecksums(c, s.row().kind(), s.version(), s.row().checksum(), s.migration().upChecksum(),
                        downAddedSince ? null : s.migration().downChecksum());
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, "cannot update " + history.displayName() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /**
     * Says whether more migrations of this run follow the next one. When they do, and Runway opens the next one's
     * transaction itself, that transaction commits with {@code synchronous_commit = off}: the commit of a later
     * migration, or {@link #flush} when the run ends early, makes it durable. Default false: every commit at the
     * session's synchronous_commit.
     */
    public void moreFollow(boolean more) {
        moreFollow = more;
    }

    /**
     * Makes the commits this run made with {@code synchronous_commit = off} durable, when any is not yet: one
     * transaction at the session's synchronous_commit that writes WAL (a row lock on the history table: a
     * transaction that only takes an xid writes no WAL, and its commit waits for no flush), whose commit waits for the
     * WAL up to it to be flushed (and for synchronous standbys, as the session's setting asks). For a run that ends
     * early (a failed migration, a stop, a lost lock): call it before the error leaves the run. Best effort: a
     * failure (a dead connection) is added to {@code cause} as suppressed, which stays the error to report.
     */
    public void flush(Throwable cause) {
        if (!unflushed) {
            return;
        }
        unflushed = false;
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            // The table has a row whenever a migration committed asynchronously: up adds one, and a rollback that
            // deleted the last one rolled back the run's last migration, which committed synchronously. SKIP LOCKED:
            // never wait behind someone else's open change of the history.
            SimpleProtocol.execute(st, "BEGIN; SELECT 1 FROM " + history.qualified() + " LIMIT 1 FOR KEY SHARE SKIP LOCKED; COMMIT");
        } catch (SQLException e) {
            rollbackQuietly(e);
            cause.addSuppressed(e);
        }
    }

    /** Applies {@code m}; {@code partial} is its RUNNING row when resuming a crashed run, else null. */
    public Duration up(Migration m, HistoryRow partial) {
        if (m.transactionMode() == TransactionMode.TRANSACTIONAL) {
            return transactional(m, m.up(), m.upUnits(), Direction.UP);
        }
        Duration took = new UnitSections(this, c, history, listener, stop).up(m, partial);
        unflushed = false; // each statement committed with its progress row at the session's synchronous_commit
        return took;
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
            verifyLock();
            if (partial == null) {
                // no statement count: a backfill's progress is its checkpoint
                history.insert(c, row(m, HistoryStatus.RUNNING, 0, 0, null, Duration.ZERO));
            }
            listener.migrationStarted(m, Direction.UP, 1, 0);
            boolean finished;
            try {
                finished = runner.run(new BackfillRun(c, m, partial != null, lockTimeout(m), statementTimeout(m), retryPolicy(m),
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
            unflushed = false; // that commit, at the session's synchronous_commit
            resetSession();
            listener.migrationDone(m, Direction.UP, took);
            return took;
        } catch (SQLException e) {
            rollbackQuietly(e);
            String error = SqlErrors.oneLine(e);
            listener.migrationFailed(m, null, error);
            if (SqlStates.isSessionLost(e)) {
                throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": lost the database connection (" + error
                        + "); committed batches stay done, run again to resume", e);
            }
            boolean cancelled = cancelledOnRequest(e);
            boolean nothingDone = false;
            boolean lock = SqlStates.isLockTimeout(e) || cancelled; // both leave the checkpoint resumable
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
            if (cancelled) {
                throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": " + CANCELLED + "; that batch was rolled"
                        + " back, committed batches stay done and the next run resumes from the checkpoint", e);
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

    /**
     * After a rollback: forgets the repeatable migrations, so the next migrate runs them again after the
     * versioned ones (what they select from may have been rolled back under them).
     */
    public void forgetRepeatables(dev.runway.migrate.dir.MigrationKind kind) {
        try {
            c.setAutoCommit(true);
            history.deleteRepeatables(c, kind);
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, "cannot update " + history.displayName() + ": "
                    + SqlErrors.oneLine(e), e);
        }
    }

    /** Runs the down section of {@code m} and deletes its history row. */
    public Duration down(Migration m) {
        if (m.down() == null) {
            throw new RunwayException(ErrorCode.USAGE, m.displayName() + ": has no down section, so it cannot be rolled back"
                    + " (add '-- runway:down' or a down file)");
        }
        if (m.downProblem() != null) {
            throw RunwayException.usage(m.downProblem());
        }
        if (m.downTransactionMode() != TransactionMode.TRANSACTIONAL) {
            Duration took = new UnitSections(this, c, history, listener, stop).down(m);
            unflushed = false; // as in up
            return took;
        }
        return transactional(m, m.down(), m.downUnits(), Direction.DOWN);
    }

    int retries(Migration m) {
        return m.directives().retries() != null ? m.directives().retries() : config.retries();
    }

    Duration concurrentLockTimeout() {
        return config.concurrentLockTimeout();
    }

    Duration lockTimeout(Migration m) {
        return m.directives().lockTimeout() != null ? m.directives().lockTimeout() : config.lockTimeout();
    }

    Duration statementTimeout(Migration m) {
        return m.directives().statementTimeout() != null ? m.directives().statementTimeout() : config.statementTimeout();
    }

    /** Lock-timeout retries of {@code m} (its own {@code retries} directive, else the configuration's). */
    RetryPolicy retryPolicy(Migration m) {
        return new RetryPolicy(retries(m), new Backoff(config.retryBase(), config.retryMax(), config.random()), config.sleeper());
    }

    /**
     * One transaction: Runway's ({@code units} empty), or the file's single {@code BEGIN ... COMMIT} block
     * with the session settings around it ({@code units}), the history change written inside it.
     */
    private Duration transactional(Migration m, List<SqlStatement> statements, List<Unit> units, Direction dir) {
        RetryPolicy retry = retryPolicy(m);
        int max = retry.attempts();
        // Runway's own transaction goes as one message when the server times each statement of it on its own (13+)
        // and nobody watches its statements one by one
        boolean whole = units.isEmpty() && serverMajor >= 13 && !listener.liveStatements() && WholeMessage.fits(statements);
        // only a transaction Runway opens: a file's own block, like a non-transactional migration, commits as the
        // session says, and its commit flushes the WAL of the asynchronous ones before it
        boolean async = units.isEmpty() && moreFollow;
        for (int attempt = 1; ; attempt++) {
            listener.migrationStarted(m, dir, attempt, 0);
            long t0 = System.nanoTime();
            SqlStatement[] current = new SqlStatement[1];
            try {
                if (!whole || !wholeMessage(m, statements, dir, current, async)) {
                    stepwise(m, statements, units, dir, t0, current, async);
                }
                unflushed = async;
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (units.isEmpty()) {
                    resetSessionIfNeeded(statements);
                } else {
                    resetSession();
                }
                listener.migrationDone(m, dir, took);
                return took;
            } catch (SQLException e) {
                rollbackQuietly(e);
                if (SqlStates.isSessionLost(e)) {
                    throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": lost the database connection ("
                            + SqlErrors.oneLine(e) + "); its transaction was rolled back, run again", e);
                }
                if (cancelledOnRequest(e)) {
                    listener.migrationFailed(m, current[0], SqlErrors.oneLine(e));
                    throw new RunwayException(ErrorCode.TEMPORARY, where(m, current[0]) + ": " + CANCELLED
                            + "; the migration was rolled back, nothing of it remains", e);
                }
                if (retry.mayRetry(e, attempt)) {
                    Duration delay = retry.delay(attempt);
                    listener.retrying(m, attempt, max, delay, "lock_timeout " + Durations.format(lockTimeout(m))
                            + " expired" + (current[0] == null ? "" : " at line " + current[0].line()));
                    await(retry, delay);
                    continue;
                }
                if (SqlStates.isLockTimeout(e)) {
                    listener.migrationFailed(m, current[0], SqlErrors.oneLine(e));
                    throw new RunwayException(ErrorCode.TEMPORARY, where(m, current[0], dir) + ": could not get its locks within "
                            + "lock_timeout " + Durations.format(lockTimeout(m)) + " in " + max + " tries; nothing was changed."
                            + " A long transaction holds a conflicting lock; run again later", e);
                }
                listener.migrationFailed(m, current[0], SqlErrors.oneLine(e));
                throw new RunwayException(ErrorCode.MIGRATION_FAILED, where(m, current[0], dir) + ": " + SqlErrors.oneLine(e)
                        + "; the migration was rolled back, nothing was changed", e);
            }
        }
    }

    /**
     * Runway's transaction as one message ({@link WholeMessage}); {@code current[0]} is left at the statement that
     * failed. Returns false, having changed nothing, when this connection cannot send it, or when the server refused the
     * text before running any of it (a syntax error): then the caller runs it statement by statement, which names the
     * statement as before.
     */
    private boolean wholeMessage(Migration m, List<SqlStatement> statements, Direction dir, SqlStatement[] current,
                                 boolean async) throws SQLException {
        // SET LOCAL as a function: one statement, and no SET status for pgjdbc to scan the whole text after
        // the guard's mark sets them once the check has passed: one statement (and one result) less per migration
        String mark = settingsMark(lockTimeout(m), statementTimeout(m), async);
        String guard = lock != null ? lock.guardSql(mark, WholeMessage.LABEL) : "SELECT " + mark + " AS " + WholeMessage.LABEL;
        WholeMessage msg = new WholeMessage(guard, List.of(), statements, record(m, dir, WholeMessage.NOW_MS));
        c.setAutoCommit(true); // the text carries its BEGIN and COMMIT
        try {
            if (!SimpleProtocol.executeMarked(c, msg.sql(), WholeMessage.LABEL, msg::mark)) {
                return false;
            }
        } catch (SQLException e) {
            for (int i = 0; i < msg.done(); i++) {
                listener.statementDone(m, statements.get(i), i, msg.took(i));
            }
            current[0] = msg.failed();
            if (!msg.started() && !SqlStates.isSessionLost(e) && !cancelledOnRequest(e)) {
                RuntimeException lost = lock == null ? null : lock.guardFailure(e);
                if (lost != null) {
                    rollbackQuietly(e);
                    throw lost;
                }
                rollbackQuietly(e); // nothing ran; nothing is open
                current[0] = null;
                return false;
            }
            throw e;
        }
        for (int i = 0; i < statements.size(); i++) {
            listener.statementDone(m, statements.get(i), i, msg.took(i));
        }
        return true;
    }

    /**
     * The first mark ({@link WholeMessage#NOW_US}) as an expression that first sets the transaction's {@code SET LOCAL}s
     * with {@code set_config(…, true)}, which never returns NULL: the mark is always the value.
     */
    private static String settingsMark(Duration lockTimeout, Duration statementTimeout, boolean async) {
        return "CASE WHEN set_config('lock_timeout', " + millis(lockTimeout) + ", true) IS NULL OR set_config("
                + "'statement_timeout', " + millis(statementTimeout) + ", true) IS NULL"
                + (async ? " OR set_config('synchronous_commit', 'off', true) IS NULL" : "") + " THEN NULL ELSE "
                + WholeMessage.NOW_US + " END";
    }

    /**
     * One transaction, statement by statement: Runway's ({@code units} empty), or the file's single {@code BEGIN ...
     * COMMIT} block with the session settings around it ({@code units}), the history change written inside it.
     * {@code current[0]} is left at the statement that failed.
     */
    private void stepwise(Migration m, List<SqlStatement> statements, List<Unit> units, Direction dir, long t0,
                          SqlStatement[] current, boolean async) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            SessionTimeouts timeouts = new SessionTimeouts();
            int from = 0;
            int to = statements.size();
            if (units.isEmpty()) {
                c.setAutoCommit(false);
            } else {
                // The file's own block is the transaction: its BEGIN (with any options it gives) runs as written.
                c.setAutoCommit(true);
                Unit block = units.stream().filter(Unit::block).findFirst().orElseThrow();
                for (int i = 0; i <= block.from(); i++) {
                    current[0] = statements.get(i);
                    execute(st, m, current[0], i);
                    timeouts.saw(current[0]);
                }
                from = block.innerFrom();
                to = block.innerTo();
            }
            // The lock check is the transaction's first statement, in the same round trip as its settings and,
            // when Runway opened the transaction, its first statement: a failed check rolls all of it back.
            List<String> prelude = new ArrayList<>(4);
            if (lock != null) {
                prelude.add(lock.checkSql());
            }
            if (!timeouts.fileSetLockTimeout()) {
                prelude.add("SET LOCAL lock_timeout = " + millis(lockTimeout(m)));
            }
            if (!timeouts.fileSetStatementTimeout()) {
                prelude.add("SET LOCAL statement_timeout = " + millis(statementTimeout(m)));
            }
            if (async) {
                prelude.add("SET LOCAL synchronous_commit = off");
            }
            int next = from;
            long s0 = System.nanoTime();
            if (units.isEmpty() && from < to) {
                current[0] = statements.get(from);
                prelude.add(current[0].sql());
                next++;
            }
            if (!prelude.isEmpty()) {
                SimpleProtocol.execute(st, String.join("; ", prelude));
            }
            if (lock != null) {
                try (ResultSet rs = st.getResultSet()) {
                    checkLockInTransaction(rs);
                }
            }
            if (next > from) {
                listener.statementDone(m, current[0], from, Duration.ofNanos(System.nanoTime() - s0));
            }
            for (int i = next; i < to; i++) {
                current[0] = statements.get(i);
                execute(st, m, current[0], i);
            }
            current[0] = null;
            String record = record(m, dir, Long.toString((System.nanoTime() - t0) / 1_000_000));
            if (units.isEmpty()) {
                // the history change and the COMMIT: one round trip
                SimpleProtocol.execute(st, record + "; COMMIT");
                c.setAutoCommit(true);
            } else {
                SimpleProtocol.execute(st, record); // inside the file's block, before its COMMIT
                for (int i = to; i < statements.size(); i++) {
                    current[0] = statements.get(i);
                    execute(st, m, current[0], i); // the file's COMMIT, then session settings after the block
                }
                current[0] = null;
            }
        }
    }

    /** The lock check as a statement of its own (autocommit). */
    void verifyLock() {
        if (lock != null) {
            lock.verifyHeld();
        }
    }

    /** The lock check as the first statement of the open transaction; a failed check rolls it back. */
    void verifyLockInTransaction() throws SQLException {
        checkLockInTransaction(null);
    }

    /** Judges {@code rs} (the check's result), or runs the check when null; a failed check rolls the transaction back. */
    private void checkLockInTransaction(ResultSet rs) throws SQLException {
        try {
            if (rs != null) {
                lock.check(rs);
            } else {
                verifyLock();
            }
        } catch (RuntimeException e) {
            SQLException none = new SQLException(e.getMessage());
            rollbackQuietly(none);
            for (Throwable t : none.getSuppressed()) {
                e.addSuppressed(t);
            }
            throw e;
        }
    }

    /** The statement was cancelled because a stop was requested (pg_cancel_backend after the grace), not a failure of its own. */
    boolean cancelledOnRequest(SQLException e) {
        return stop.get() && SqlStates.isQueryCanceled(e);
    }

    static final String CANCELLED = "its statement was cancelled on request (it outlasted the stop grace)";

    /** One statement of the file, as psql sends it (one simple-protocol message: the client's work is less). */
    private void execute(Statement st, Migration m, SqlStatement s, int index) throws SQLException {
        long s0 = System.nanoTime();
        SimpleProtocol.execute(st, s.sql());
        listener.statementDone(m, s, index, Duration.ofNanos(System.nanoTime() - s0));
    }

    /**
     * The history change of a finished transactional migration as SQL: its applied row, or (down) no row.
     *
     * @param tookMs the SQL expression of its duration in milliseconds
     */
    private String record(Migration m, Direction dir, String tookMs) {
        if (dir == Direction.DOWN) {
            return history.deleteSql(m.kind(), m.version());
        }
        String insert = history.insertSql(row(m, HistoryStatus.APPLIED, 0, 0, null, Duration.ZERO), tookMs);
        // a repeatable that ran before, with other contents, replaces its row
        return m.rerunsOnChange() ? history.deleteSql(m.kind(), m.version()) + "; " + insert : insert;
    }

    HistoryRow row(Migration m, HistoryStatus status, int done, int total, String error, Duration took) {
        return new HistoryRow(m.version(), m.description(), m.kind(), m.checksum(), status, done, total, error, null,
                took.toMillis(), config.appliedBy(), runwayVersion, m.upChecksum(), m.downChecksum());
    }

    void setSession(String name, String value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET " + name + " = " + value);
        }
    }

    /**
     * Clears session state a migration may have changed (SET, SET ROLE, temp tables, LISTEN) without
     * {@code DISCARD ALL}, which would also release our advisory lock.
     */
    void resetSession() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("RESET ALL; SET SESSION AUTHORIZATION DEFAULT; DISCARD TEMP; DISCARD PLANS; UNLISTEN *; CLOSE ALL");
        }
        PgSession.enableDeadClientDetection(c, serverMajor);
    }

    private void resetSessionIfNeeded(List<SqlStatement> statements) throws SQLException {
        for (SqlStatement s : statements) {
            if (mayChangeSession(s)) {
                resetSession();
                return;
            }
        }
    }

    /**
     * Whether {@code s} may leave session state behind. SET (not LOCAL) outlives the transaction; functions called by
     * SELECT/DO/CALL may use set_config(); a TEMP object lives as long as the session.
     */
    static boolean mayChangeSession(SqlStatement s) {
        return !surelyLeavesSessionAlone(s) && mayChangeSessionByKeyword(s);
    }

    /** The rule itself, from the statement's classification (which builds its keyword from its tokens). */
    static boolean mayChangeSessionByKeyword(SqlStatement s) {
        String k = s.keyword();
        return s.sessionSetting() || k.startsWith("SELECT") || k.startsWith("DO") || k.startsWith("CALL") || k.contains("TEMP");
    }

    private static final String[] SESSION_COMMANDS = {"SET", "RESET", "DISCARD", "LISTEN", "UNLISTEN", "DEALLOCATE", "LOAD", "PREPARE"};

    /**
     * True only when {@link #mayChangeSessionByKeyword} is surely false, decided from the text without building the
     * keyword: an ASCII text (so upper-casing a word cannot make "TEMP" or "SET_CONFIG" of other letters) whose first
     * word is none of the session commands and starts with none of SELECT, DO, CALL, and that has neither "temp" nor
     * "set_config" anywhere, in any case. A statement that does not start with a word has an empty keyword and sets
     * nothing. Every other statement is judged by the rule itself.
     */
    static boolean surelyLeavesSessionAlone(SqlStatement s) {
        // the text first: a statement of a very large file keeps no tokens, and tokens() scans it again
        String sql = s.sql();
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch >= 0x80) {
                return false;
            }
            if ((ch == 't' || ch == 'T') && sql.regionMatches(true, i, "temp", 0, 4)
                    || (ch == 's' || ch == 'S') && sql.regionMatches(true, i, "set_config", 0, 10)) {
                return false;
            }
        }
        List<dev.runway.core.sql.Token> t = s.tokens();
        if (t.isEmpty() || t.get(0).type() != dev.runway.core.sql.TokenType.WORD) {
            return false; // rare: the rule decides
        }
        String w0 = t.get(0).text();
        if (w0.regionMatches(true, 0, "SELECT", 0, 6) || w0.regionMatches(true, 0, "DO", 0, 2) || w0.regionMatches(true, 0, "CALL", 0, 4)) {
            return false;
        }
        for (String c : SESSION_COMMANDS) {
            if (w0.equalsIgnoreCase(c)) {
                return false;
            }
        }
        return true;
    }

    private void rollbackQuietly(SQLException e) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK"); // a block the file began itself (a warning only when none is open)
                }
            }
            c.setAutoCommit(true);
        } catch (SQLException r) {
            e.addSuppressed(r);
        }
    }

    /** The wait before the next try; a stop request (or an interrupt) ends the run. */
    static void await(RetryPolicy retry, Duration d) {
        try {
            retry.await(d);
        } catch (InterruptedException ie) {
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted while waiting to retry", ie);
        }
    }

    static long elapsed(long t0, long earlierMs) {
        return earlierMs + (System.nanoTime() - t0) / 1_000_000;
    }

    static String where(Migration m, SqlStatement s) {
        return where(m, s, Direction.UP);
    }

    /** The file of the section running in direction {@code dir}, with the statement's line. */
    static String where(Migration m, SqlStatement s, Direction dir) {
        String file = dir == Direction.DOWN ? m.downDisplayName() : m.displayName();
        return s == null ? file : file + ":" + s.line();
    }

    /** A duration as a SQL literal in milliseconds; 0 disables the timeout. */
    static String millis(Duration d) {
        return "'" + d.toMillis() + "ms'";
    }
}
