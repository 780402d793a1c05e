package dev.runway.migrate.internal;

import dev.runway.core.RetryPolicy;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.Unit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Runs one unit of a section that runs unit by unit ({@link dev.runway.migrate.dir.TransactionMode#NONE}
 * and {@link dev.runway.migrate.dir.TransactionMode#EXPLICIT}), retried on lock timeout, with the
 * progress row written in the unit's own transaction where there is one:
 * <ul>
 *   <li>a transaction block runs as written: its {@code BEGIN} (or Runway's, for the statements before a
 *       leading {@code COMMIT}), the statements, the progress update, its {@code COMMIT} (or Runway's, for a
 *       {@code BEGIN} left open at the end of a {@code COMMIT; ... BEGIN;} escape). A crash never leaves a
 *       block applied but unrecorded. A block that ends in {@code ROLLBACK} changes nothing; its progress is
 *       recorded after it.</li>
 *   <li>a statement that can run in a transaction runs in one with its progress update;</li>
 *   <li>a statement that cannot ({@code CREATE INDEX CONCURRENTLY}, ...) runs in autocommit and its progress
 *       is recorded after it; resume relies on {@link IndexRepair} for index builds.</li>
 * </ul>
 * Lock timeouts (SQLSTATE 55P03) roll the unit back and try it again with back-off. Not thread-safe.
 */
final class UnitRunner {
    /** Writes the progress of the migration in the current transaction (or in autocommit). */
    @FunctionalInterface
    interface Progress {
        void record(int statementsDone) throws SQLException;
    }

    private final Executor ex;
    private final Connection c;
    private final MigrationListener listener;
    /** The session's lock_timeout as Runway last set it (null: not set yet). */
    private String activeLockTimeout;
    /** The statement being executed, for error messages. */
    SqlStatement current;

    UnitRunner(Executor ex, Connection c, MigrationListener listener) {
        this.ex = ex;
        this.c = c;
        this.listener = listener;
    }

    /**
     * Runs {@code u} of {@code statements}; {@code progress} null records nothing (a down section);
     * {@code resuming} is true for the first unit after a crashed run stopped.
     */
    void run(Migration m, List<SqlStatement> statements, Unit u, SessionTimeouts timeouts, Progress progress,
             boolean resuming) throws SQLException {
        RetryPolicy retry = ex.retryPolicy(m);
        for (int attempt = 1; ; attempt++) {
            boolean open = false;
            try {
                if (u.block()) {
                    open = true;
                    block(m, statements, u, timeouts, progress);
                } else if (statements.get(u.from()).nonTransactional()) {
                    if (autocommitStatement(m, statements, u, timeouts, progress, resuming)) {
                        return;
                    }
                } else {
                    open = true;
                    wrapped(m, statements, u, timeouts, progress);
                }
                return;
            } catch (SQLException e) {
                if (open) {
                    abort(e);
                }
                if (!retry.mayRetry(e, attempt)) {
                    throw e;
                }
                Duration delay = retry.delay(attempt);
                listener.retrying(m, attempt, retry.attempts(), delay, "lock_timeout expired at line " + current.line());
                Executor.await(retry, delay);
            }
        }
    }

    private void block(Migration m, List<SqlStatement> statements, Unit u, SessionTimeouts timeouts, Progress progress)
            throws SQLException {
        c.setAutoCommit(true);
        lockTimeout(m, false, timeouts);
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            current = statements.get(u.from());
            execute(st, m, statements, u.fileBegins() ? u.from() : -1, "BEGIN");
            ex.verifyLock(); // inside the block's transaction: a lost lock rolls it back (abort)
            for (int i = u.innerFrom(); i < u.innerTo(); i++) {
                current = statements.get(i);
                execute(st, m, statements, i, null);
            }
            if (u.rollsBack()) {
                current = statements.get(u.to() - 1);
                execute(st, m, statements, u.to() - 1, null);
                if (progress != null) {
                    progress.record(u.to());
                }
                return;
            }
            if (progress != null) {
                progress.record(u.to());
            }
            current = statements.get(u.to() - 1);
            execute(st, m, statements, u.fileEnds() ? u.to() - 1 : -1, "COMMIT");
        }
        timeouts.saw(statements, u.innerFrom(), u.innerTo());
    }

    /** A statement outside any block that can run in a transaction: in one, with its progress. */
    private void wrapped(Migration m, List<SqlStatement> statements, Unit u, SessionTimeouts timeouts, Progress progress)
            throws SQLException {
        lockTimeout(m, false, timeouts);
        current = statements.get(u.from());
        c.setAutoCommit(false);
        ex.verifyLockInTransaction(); // the lock check inside the unit's transaction (a lost lock rolls it back)
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            execute(st, m, statements, u.from(), null);
            if (progress != null) {
                progress.record(u.to());
            }
        }
        c.commit();
        c.setAutoCommit(true);
        timeouts.saw(current);
    }

    /**
     * A statement that cannot run in a transaction block, in autocommit; its progress is recorded after it.
     * Returns true when it was skipped because a crashed run had already finished it.
     */
    private boolean autocommitStatement(Migration m, List<SqlStatement> statements, Unit u, SessionTimeouts timeouts,
                                        Progress progress, boolean resuming) throws SQLException {
        SqlStatement s = statements.get(u.from());
        current = s;
        c.setAutoCommit(true);
        IndexRepair.Outcome o = IndexRepair.prepare(c, s);
        if (o == IndexRepair.Outcome.DROPPED_INVALID) {
            listener.notice(m.displayName() + ":" + s.line() + ": dropped INVALID index " + IndexRepair.indexName(s)
                    + " left by an interrupted build, building it again");
        } else if (o == IndexRepair.Outcome.ALREADY_VALID && resuming) {
            listener.notice(m.displayName() + ":" + s.line() + ": index " + IndexRepair.indexName(s)
                    + " was built before the earlier run stopped; counting the statement as done");
            if (progress != null) {
                progress.record(u.to());
            }
            return true;
        }
        lockTimeout(m, s.concurrently(), timeouts);
        ex.verifyLock();
        try (Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            execute(st, m, statements, u.from(), null);
        }
        timeouts.saw(s);
        if (progress != null) {
            progress.record(u.to());
        }
        return false;
    }

    /** Runs statement {@code index} of the file, or Runway's own {@code fallback} SQL when {@code index} is -1. */
    private void execute(Statement st, Migration m, List<SqlStatement> statements, int index, String fallback)
            throws SQLException {
        if (index < 0) {
            st.execute(fallback);
            return;
        }
        long s0 = System.nanoTime();
        st.execute(statements.get(index).sql());
        listener.statementDone(m, statements.get(index), index, Duration.ofNanos(System.nanoTime() - s0));
    }

    /** Sets the session's lock_timeout for the next unit, unless the file has set its own. */
    private void lockTimeout(Migration m, boolean concurrently, SessionTimeouts timeouts) throws SQLException {
        if (timeouts.fileSetLockTimeout()) {
            return;
        }
        String value = Executor.millis(concurrently ? ex.concurrentLockTimeout() : ex.lockTimeout(m));
        if (!value.equals(activeLockTimeout)) {
            try (Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = " + value);
            }
            activeLockTimeout = value;
        }
    }

    /** Ends whatever transaction the failed unit left open (the file's BEGIN runs in autocommit mode). */
    private void abort(SQLException e) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK"); // only a warning when no transaction is open
                }
            }
        } catch (SQLException r) {
            e.addSuppressed(r);
        }
    }
}
