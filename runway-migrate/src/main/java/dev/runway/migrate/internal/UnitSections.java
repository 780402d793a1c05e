package dev.runway.migrate.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.SqlStates;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.Unit;
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
 * Runs a section that runs unit by unit ({@link TransactionMode#NONE}, {@link TransactionMode#EXPLICIT}): the up with a
 * {@code running} history row whose progress each unit records ({@link UnitRunner}), resumed after the last completed
 * unit, the file's session settings made again first; the down without progress. Not thread-safe; one per section run.
 */
final class UnitSections {
    private final Executor ex;
    private final Connection c;
    private final HistoryTable history;
    private final MigrationListener listener;
    private final AtomicBoolean stop;

    UnitSections(Executor ex, Connection c, HistoryTable history, MigrationListener listener, AtomicBoolean stop) {
        this.ex = ex;
        this.c = c;
        this.history = history;
        this.listener = listener;
        this.stop = stop;
    }

    /** Runs (or resumes) a section unit by unit, recording progress after each unit. */
    Duration up(Migration m, HistoryRow partial) {
        List<SqlStatement> statements = m.up();
        List<Unit> units = m.upUnits();
        int start = partial != null ? partial.statementsDone() : 0;
        long t0 = System.nanoTime();
        long earlier = partial != null ? partial.durationMs() : 0;
        int[] done = {start};
        UnitRunner runner = new UnitRunner(ex, c, listener);
        try {
            c.setAutoCommit(true);
            if (partial == null) {
                if (m.rerunsOnChange()) {
                    history.delete(c, m.kind(), m.version()); // it ran before, with other contents
                }
                history.insert(c, ex.row(m, HistoryStatus.RUNNING, 0, statements.size(), null, Duration.ZERO));
            } else {
                requireUnitBoundary(m, units, start);
                listener.notice(m.displayName() + ": resuming at statement " + (start + 1) + " of " + statements.size()
                        + " (an earlier run stopped there)");
            }
            listener.migrationStarted(m, Direction.UP, 1, start);
            SessionTimeouts timeouts = new SessionTimeouts();
            replaySessionSettings(statements, units, start, timeouts);
            if (!timeouts.fileSetStatementTimeout()) {
                ex.setSession("statement_timeout", Executor.millis(ex.statementTimeout(m)));
            }
            boolean first = true;
            for (Unit u : units) {
                if (u.from() < start) {
                    continue;
                }
                if (stop.get()) {
                    throw new RunwayException(ErrorCode.TEMPORARY, m.displayName() + ": stopped on request after statement "
                            + done[0] + " of " + statements.size() + "; run again to resume");
                }
                runner.run(m, statements, u, timeouts, n -> {
                    history.updateProgress(c, m.kind(), m.version(), HistoryStatus.RUNNING, n, null, Executor.elapsed(t0, earlier));
                    done[0] = n;
                }, first && partial != null);
                done[0] = u.to();
                first = false;
            }
            Duration took = Duration.ofMillis(Executor.elapsed(t0, earlier));
            history.updateProgress(c, m.kind(), m.version(), HistoryStatus.APPLIED, done[0], null, took.toMillis());
            ex.resetSession();
            listener.migrationDone(m, Direction.UP, took);
            return took;
        } catch (SQLException e) {
            SqlStatement current = runner.current;
            if (SqlStates.isSessionLost(e)) {
                throw new RunwayException(ErrorCode.TEMPORARY, Executor.where(m, current) + ": lost the database connection ("
                        + SqlErrors.oneLine(e) + ") after " + done[0] + " of " + statements.size()
                        + " statements; run again to resume", e);
            }
            String error = SqlErrors.oneLine(e);
            boolean cancelled = ex.cancelledOnRequest(e);
            boolean lock = SqlStates.isLockTimeout(e) || cancelled;
            try {
                // Lock timeouts and our own stop leave the row resumable; any other error blocks until 'runway repair'.
                history.updateProgress(c, m.kind(), m.version(), lock ? HistoryStatus.RUNNING : HistoryStatus.FAILED, done[0],
                        lock ? null : error, Executor.elapsed(t0, earlier));
                ex.resetSession();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            listener.migrationFailed(m, current, error);
            String kept = done[0] == 0 ? "nothing of it was applied" : "statements 1.." + done[0] + " of " + statements.size()
                    + " stay applied";
            if (cancelled) {
                throw new RunwayException(ErrorCode.TEMPORARY, Executor.where(m, current) + ": " + Executor.CANCELLED + "; " + kept
                        + " and the next run resumes at statement " + (done[0] + 1), e);
            }
            if (lock) {
                throw new RunwayException(ErrorCode.TEMPORARY, Executor.where(m, current) + ": could not get its locks in "
                        + ex.retries(m) + " tries (" + error + "); " + kept + "; run again to resume", e);
            }
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, Executor.where(m, current) + ": " + error + "; " + kept
                    + " (" + (m.transactionMode() == TransactionMode.EXPLICIT ? "the file's own transaction"
                    + " blocks and statements run one by one" : "non-transactional") + "). Fix the cause, then 'runway repair'"
                    + " and run again to resume at statement " + (done[0] + 1), e);
        }
    }

    /** A resumed run starts where a unit starts: a crash never leaves a block half-recorded. */
    private static void requireUnitBoundary(Migration m, List<Unit> units, int start) {
        for (Unit u : units) {
            if (u.from() == start || u.to() == start) {
                return;
            }
        }
        if (start == 0) {
            return;
        }
        throw new RunwayException(ErrorCode.INTEGRITY, m.displayName() + ": the history records " + start + " statements"
                + " done, which is inside one of the file's transaction blocks (written by an older Runway, or the file"
                + " changed); check what was applied, then 'runway repair'");
    }

    /**
     * A resumed run is a new session: the session settings the file made before the point where it stopped
     * ({@code SET search_path}, {@code SET lock_timeout}, ...) are made again so later units see them.
     */
    private void replaySessionSettings(List<SqlStatement> statements, List<Unit> units, int start, SessionTimeouts timeouts)
            throws SQLException {
        for (Unit u : units) {
            if (u.to() > start || u.block() || !SessionTimeouts.replayable(statements.get(u.from()))) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(statements.get(u.from()).sql());
            }
            timeouts.saw(statements.get(u.from()));
        }
    }

    /** Runs a down section unit by unit (no progress is kept for downs), then deletes the history row. */
    Duration down(Migration m) {
        List<SqlStatement> statements = m.down();
        long t0 = System.nanoTime();
        UnitRunner runner = new UnitRunner(ex, c, listener);
        int done = 0;
        listener.migrationStarted(m, Direction.DOWN, 1, 0);
        try {
            c.setAutoCommit(true);
            SessionTimeouts timeouts = new SessionTimeouts();
            for (Unit u : m.downUnits()) {
                runner.run(m, statements, u, timeouts, null, false);
                done = u.to();
            }
            history.delete(c, m.kind(), m.version());
            ex.resetSession();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            listener.migrationDone(m, Direction.DOWN, took);
            return took;
        } catch (SQLException e) {
            listener.migrationFailed(m, runner.current, SqlErrors.oneLine(e));
            throw new RunwayException(SqlStates.isSessionLost(e) || ex.cancelledOnRequest(e) ? ErrorCode.TEMPORARY
                    : ErrorCode.MIGRATION_FAILED, Executor.where(m, runner.current, Direction.DOWN) + ": " + SqlErrors.oneLine(e) + " (down, unit by unit: " + done + " of "
                            + statements.size() + " statements ran; the migration is still recorded as applied)", e);
        }
    }
}
