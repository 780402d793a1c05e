package dev.runway.migrate;

import dev.runway.core.Backoff;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.Pooling;
import dev.runway.core.pg.SqlStates;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.backfill.BackfillRunner;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.DirectoryIndex;
import dev.runway.migrate.dir.MigrationRef;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.history.HistoryRow;
import dev.runway.migrate.history.HistoryStatus;
import dev.runway.migrate.history.HistoryTable;
import dev.runway.migrate.internal.Cancellation;
import dev.runway.migrate.internal.Executor;
import dev.runway.migrate.baseline.BaselineResult;
import dev.runway.migrate.baseline.BaselineSource;
import dev.runway.migrate.baseline.internal.ForeignHistory;
import dev.runway.migrate.lock.MigrationLock;
import dev.runway.migrate.lock.TransactionPoolingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The migration engine as a Java API, the counterpart of Ecto's {@code Release} module:
 * {@link #migrate}, {@link #migrateData}, {@link #rollback}, {@link #status}, {@link #repair},
 * {@link #baseline}. Each call verifies {@code runway.sum}, connects, takes the migration lock
 * on the session that does the work, computes what to do under the lock, does it, and releases.
 *
 * <p>Thread-safe in the sense that concurrent calls (in one or many processes) serialize on the
 * database lock; {@link #cancel()} may be called from any thread (e.g. a signal handler) and stops
 * the run at the next safe point, with {@link MigrationInterruptedException} when work is left.
 */
public final class Runway {
    /** Runway's own version, recorded in each history row. */
    public static final String VERSION = versionOf();

    private final RunwayConfig config;
    private final HistoryTable history;
    private final Cancellation cancellation;
    /** A connection being opened by {@link #connectAhead()}, taken by the next call; null when none. */
    private CompletableFuture<Connection> ahead;

    private Runway(RunwayConfig config) {
        this.config = config;
        this.history = new HistoryTable(config.schema(), config.table());
        this.cancellation = new Cancellation(config.url(), config.applicationName());
    }

    public static Runway create(RunwayConfig config) {
        return new Runway(config);
    }

    public RunwayConfig config() {
        return config;
    }

    /**
     * Starts opening the connection the next call will use, on a background thread, and returns at
     * once. A command-line run calls this as soon as it knows the URL, so that connecting (driver
     * start-up, TCP, authentication: most of a no-op release in a cold JVM) overlaps with the rest of
     * its start-up. A connection failure is reported by that next call. Calling it again before the
     * connection is used does nothing.
     */
    public synchronized Runway connectAhead() {
        if (ahead == null) {
            ahead = openInBackground();
        }
        return this;
    }

    /**
     * Asks a running call to stop at the next safe point (between migrations, between statements of a
     * non-transactional one, between backfill batches); a transactional migration in flight finishes or
     * rolls back. The call then throws {@link MigrationInterruptedException} (exit 75) if work is left.
     * A cancelled Runway stays cancelled: later calls stop before their first migration.
     */
    public void cancel() {
        cancellation.request(null);
    }

    /**
     * {@link #cancel()}, and if a statement is still running on the migrating session after {@code grace},
     * cancel it with {@code pg_cancel_backend} from a second connection: its transactional migration rolls
     * back, a non-transactional one stays recorded as running at that statement (the next run resumes it).
     */
    public void cancel(Duration grace) {
        cancellation.request(grace);
    }

    /** Applies all pending schema migrations. */
    public MigrateResult migrate() {
        return migrate(MigrateOptions.ALL, MigrationListener.NONE);
    }

    public MigrateResult migrate(MigrateOptions options, MigrationListener listener) {
        return up(MigrationKind.SCHEMA, config.dir(), options, listener, PendingGate.NONE, null);
    }

    /** Applies pending schema migrations once {@code gate} has accepted them (under the lock). */
    public MigrateResult migrate(MigrateOptions options, MigrationListener listener, PendingGate gate) {
        return up(MigrationKind.SCHEMA, config.dir(), options, listener, gate, null);
    }

    /** Applies pending data migrations ({@code migrations/data}), tracked apart from schema ones. */
    public MigrateResult migrateData(MigrateOptions options, MigrationListener listener) {
        return migrateData(options, listener, null);
    }

    /**
     * Applies pending data migrations; those with a {@code -- runway:backfill} directive run through
     * {@code backfills} (e.g. {@code new dev.runway.backfill.Backfiller()}), batch by batch, and are
     * recorded applied only when their last batch is done. A run stopped by {@link #cancel()} between
     * batches ends with a TEMPORARY error; the next run resumes from the checkpoint.
     *
     * @param backfills null refuses any pending backfill (USAGE, nothing changed)
     */
    public MigrateResult migrateData(MigrateOptions options, MigrationListener listener, BackfillRunner backfills) {
        return up(MigrationKind.DATA, config.dataDirOrDefault(), options, listener, PendingGate.NONE, backfills);
    }

    /** Rolls back schema migrations newest first, down to (excluding) {@code options.to()}, or {@code options.steps()} of them. */
    public MigrateResult rollback(MigrateOptions options, MigrationListener listener) {
        if (options.to() == null && options.steps() == 0) {
            throw RunwayException.usage("rollback: give --to VERSION (0 undoes everything) or --step N");
        }
        Prepared dir = prepare(MigrationKind.SCHEMA, config.dir());
        return locked(MigrationKind.SCHEMA, listener, options.dryRun(), (c, plan, ex, t0, waited) -> {
            RollbackTarget.check(plan, options);
            List<Migration> todo = new ArrayList<>();
            boolean everything = options.to() != null && options.to().isZero(); // --to 0 also undoes a version-0 migration
            for (MigrationStatus s : plan.appliedNewestFirst()) {
                if (options.to() != null && !everything && s.version().compareTo(options.to()) <= 0) {
                    break;
                }
                if (options.steps() > 0 && todo.size() == options.steps()) {
                    break;
                }
                if (s.migration() == null) {
                    throw new RunwayException(ErrorCode.INTEGRITY, "version " + s.version() + " (" + s.name() + ") is applied but"
                            + " this release has no file for it, so it cannot be rolled back; nothing was rolled back");
                }
                if (s.state() == MigrationState.CHECKSUM_CHANGED) {
                    throw new RunwayException(ErrorCode.INTEGRITY, s.migration().displayName() + ": changed after it was applied;"
                            + " refusing to run a down section that may not match; nothing was rolled back");
                }
                Migration m = s.migration().parse();
                if (m.down() == null) {
                    throw new RunwayException(ErrorCode.USAGE, m.displayName() + ": has no down section, so it cannot"
                            + " be rolled back; nothing was rolled back");
                }
                if (m.downProblem() != null) {
                    throw new RunwayException(ErrorCode.USAGE, m.downProblem() + "; nothing was rolled back");
                }
                todo.add(m);
            }
            listener.planned(Direction.DOWN, todo);
            return run(todo, Direction.DOWN, plan, ex, options.dryRun(), t0, waited);
        }, dir);
    }

    /** Every version with its state. Reads only; takes no lock. */
    public StatusResult status() {
        return status(MigrationKind.SCHEMA, config.dir());
    }

    public StatusResult statusData() {
        return status(MigrationKind.DATA, config.dataDirOrDefault());
    }

    private StatusResult status(MigrationKind kind, Path dirPath) {
        Prepared dir = prepare(kind, dirPath);
        try (Connection c = dir.connection()) {
            HistoryTable.Shape shape = history.shape(c);
            boolean exists = shape.exists();
            List<HistoryRow> rows = exists ? history.read(c, kind, shape.checksumColumns()) : List.of();
            Plan plan = Plan.of(dir.index().refs(), rows, config.allowOutOfOrder());
            return new StatusResult(plan.statuses(), current(rows), plan.pending().size(), exists);
        } catch (SQLException e) {
            throw wrap(e);
        }
    }

    /**
     * Clears failed rows: one with no statement done is deleted (the migration runs again from the
     * start); one stopped part-way becomes resumable at the failed statement, accepting the file as it
     * is now. Nothing else is touched.
     */
    public RepairResult repair(boolean dryRun, MigrationListener listener) {
        return repair(MigrationKind.SCHEMA, config.dir(), dryRun, listener, null);
    }

    /**
     * {@link #repair} for data migrations. A failed backfill keeps its checkpoint: its row becomes resumable
     * (accepting the file as it is now, after {@code backfills} checked it against the checkpoint), and the
     * next {@link #migrateData} resumes after the last committed batch.
     *
     * @param backfills checks and describes backfill checkpoints; null refuses a failed backfill (USAGE, nothing changed)
     */
    public RepairResult repairData(boolean dryRun, MigrationListener listener, BackfillRunner backfills) {
        return repair(MigrationKind.DATA, config.dataDirOrDefault(), dryRun, listener, backfills);
    }

    private RepairResult repair(MigrationKind kind, Path dirPath, boolean dryRun, MigrationListener listener, BackfillRunner backfills) {
        Prepared dir = prepare(kind, dirPath);
        List<String> actions = new ArrayList<>();
        locked(kind, listener, dryRun, (c, plan, ex, t0, waited) -> {
            List<SqlWork> work = new ArrayList<>();
            for (MigrationStatus s : plan.statuses()) {
                if (s.state() != MigrationState.FAILED) {
                    continue;
                }
                HistoryRow r = s.row();
                String label = s.migration() != null ? s.migration().displayName() : s.version() + " (" + s.name() + ")";
                Migration m = s.migration() != null && kind == MigrationKind.DATA ? s.migration().parse() : null;
                if (m != null && !m.directives().backfill().isEmpty()) {
                    if (backfills == null) {
                        throw RunwayException.usage(label + ": a failed backfill; pass a BackfillRunner to Runway.repairData"
                                + " (e.g. new dev.runway.backfill.Backfiller()); nothing was changed");
                    }
                    String checkpoint = backfills.repairPlan(c, m, history.schema(), history.table());
                    if (checkpoint == null) {
                        actions.add(label + ": delete the failed row (no batch was committed); the next 'runway data migrate' runs"
                                + " it from the start");
                        work.add(() -> history.delete(c, r.kind(), r.version()));
                    } else {
                        actions.add(label + ": clear the failed state (" + Plan.firstLine(r.error()) + "), keep the checkpoint ("
                                + checkpoint + ")" + (r.checksum().equals(m.checksum()) ? "" : ", accept the edited file")
                                + "; the next 'runway data migrate' resumes after it");
                        work.add(() -> resumable(c, ex, r, m.checksum(), m.upChecksum(), m.downChecksum()));
                    }
                } else if (r.statementsDone() == 0 || s.migration() == null) {
                    actions.add(label + ": delete the failed row (nothing of it was applied); the next migrate runs it from the start");
                    work.add(() -> history.delete(c, r.kind(), r.version()));
                } else {
                    actions.add(label + ": mark resumable; the next migrate resumes at statement " + (r.statementsDone() + 1)
                            + " of " + r.statementsTotal() + " (statements 1.." + r.statementsDone() + " stay applied)");
                    work.add(() -> resumable(c, ex, r, s.migration().checksum(), s.migration().upChecksum(), s.migration().downChecksum()));
                }
            }
            if (!dryRun) {
                for (SqlWork w : work) { // only once every failed row was checked: a refusal changes nothing
                    w.run();
                }
            }
            return null;
        }, dir, false);
        return new RepairResult(actions, dryRun);
    }

    /** A change {@link #repair} makes once every row was checked. */
    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    /** Marks {@code r} resumable, accepting the file as it is now (its up and down checksums too). */
    private void resumable(Connection c, Executor ex, HistoryRow r, String checksum, String up, String down) throws SQLException {
        ex.ensureHistory(); // the up/down checksum columns
        history.updateChecksums(c, r.kind(), r.version(), checksum, up, down);
        history.updateProgress(c, r.kind(), r.version(), HistoryStatus.RUNNING, r.statementsDone(), null, r.durationMs());
    }

    /**
     * Adopts an existing database: records {@code version} as the baseline, so every file up to it counts
     * as applied. With {@code version} null, reads {@code flyway_schema_history} as
     * {@link #baseline(BaselineSource, String, MigrationListener)} does.
     *
     * @return the baseline version recorded
     */
    public MigrationVersion baseline(MigrationVersion version, MigrationListener listener) {
        if (version == null) {
            return baseline(BaselineSource.FLYWAY, null, listener).version();
        }
        Prepared dir = prepare(MigrationKind.SCHEMA, config.dir());
        locked(MigrationKind.SCHEMA, listener, false, (c, plan, ex, t0, waited) -> {
            requireNoHistory(plan);
            ex.ensureHistory();
            insertBaseline(c, version, dir.index().find(version).map(MigrationRef::description).orElse("<< baseline >>"));
            return null;
        }, dir, false);
        return version;
    }

    /**
     * Adopts a database another runner migrated: reads that runner's history table ({@code table}, or its usual one
     * when null), maps its rows to the files of the directory and records the newest as the baseline; Flyway
     * repeatable migrations whose file is still what Flyway ran are recorded as applied. Refuses, changing nothing:
     * a history with rows already (INTEGRITY), a failed or dirty state, a row whose migration has no file, and a
     * file the other runner never applied below one it did (INTEGRITY, naming them); a missing table or one of
     * another runner (USAGE). The baseline is never moved silently.
     */
    public BaselineResult baseline(BaselineSource from, String table, MigrationListener listener) {
        Prepared dir = prepare(MigrationKind.SCHEMA, config.dir());
        return locked(MigrationKind.SCHEMA, listener, false, (c, plan, ex, t0, waited) -> {
            requireNoHistory(plan);
            List<MigrationRef> refs = dir.index().refs();
            String where = table == null ? from.defaultTable() : table;
            ForeignHistory.Applied a = ForeignHistory.read(c, from, config.schema(), where, refs);
            MigrationVersion newest = a.baseline(from, where, refs);
            ex.ensureHistory();
            insertBaseline(c, newest, dir.index().find(newest).map(MigrationRef::description)
                    .orElse("<< baseline from " + from.label() + " >>"));
            List<String> repeatables = new ArrayList<>();
            List<String> notes = new ArrayList<>(a.notes());
            for (MigrationRef m : a.unchangedRepeatables(refs, config.placeholdersWithBuiltIns(), notes)) {
                history.insert(c, new HistoryRow(m.version(), m.description(), MigrationKind.SCHEMA, m.checksum(),
                        HistoryStatus.APPLIED, 0, 0, null, null, 0, config.appliedBy(), VERSION, m.upChecksum(), m.downChecksum()));
                repeatables.add(m.displayName());
            }
            int mapped = a.applied().size();
            return new BaselineResult(newest, from, mapped, repeatables, notes);
        }, dir, false);
    }

    private void requireNoHistory(Plan plan) {
        if (!plan.statuses().stream().allMatch(s -> s.row() == null)) {
            throw new RunwayException(ErrorCode.INTEGRITY, history.displayName() + " already has rows; baseline only"
                    + " adopts a database Runway has never migrated (see 'runway status')");
        }
    }

    private void insertBaseline(Connection c, MigrationVersion v, String name) throws SQLException {
        history.insert(c, new HistoryRow(v, name, MigrationKind.SCHEMA, "baseline", HistoryStatus.BASELINE, 0, 0,
                null, null, 0, config.appliedBy(), VERSION, null, null));
    }

    private MigrateResult up(MigrationKind kind, Path dirPath, MigrateOptions options, MigrationListener listener,
                             PendingGate gate, BackfillRunner backfills) {
        Prepared dir = prepare(kind, dirPath);
        if (options.to() != null && dir.index().find(options.to()).isEmpty()) {
            dir.abandon();
            throw RunwayException.usage("--to " + options.to() + ": no migration with that version in " + dir.index().path());
        }
        return locked(kind, listener, options.dryRun(), (c, plan, ex, t0, waited) -> {
            plan.requireNoProblems();
            List<Migration> todo = new ArrayList<>();
            for (MigrationRef m : plan.pending()) {
                if (options.to() != null && m.version().compareTo(options.to()) > 0) {
                    break;
                }
                if (options.steps() > 0 && todo.size() == options.steps()) {
                    break;
                }
                Migration parsed = m.parse(); // only what will run is parsed; errors stop us before any change
                if (parsed.up().isEmpty() && parsed.layout() == dev.runway.migrate.dir.Layout.RUNWAY
                        && !parsed.directives().allowEmpty() && parsed.directives().backfill().isEmpty()) {
                    // recorded as applied with nothing done: most likely a file made by 'runway new' and never
                    // written. A backfill's work is its directive (a Java backfill has no SQL of its own); other
                    // runners' files apply as those runners apply them (Flyway and golang-migrate record an
                    // empty file as applied: CDCgov/prime-reportstream's V43 is one)
                    throw RunwayException.usage(parsed.displayName() + ": the up section has no SQL statement; write it, or add"
                            + " '-- runway:allow-empty' at the top of the file if it is empty on purpose; nothing was changed");
                }
                if (!parsed.directives().backfill().isEmpty()) {
                    if (kind == MigrationKind.SCHEMA) {
                        throw RunwayException.usage(BackfillRunner.where(parsed) + ": a backfill is a data migration; move the"
                                + " file to the data migrations directory (migrations/data, run by 'runway data migrate' or"
                                + " 'release --with-data'); nothing was changed");
                    }
                    if (backfills == null) {
                        throw RunwayException.usage(BackfillRunner.where(parsed) + ": this caller runs no backfills (pass a"
                                + " BackfillRunner to Runway.migrateData, e.g. new dev.runway.backfill.Backfiller()); nothing"
                                + " was changed");
                    }
                }
                todo.add(parsed);
            }
            for (Migration m : todo) {
                if (!m.directives().backfill().isEmpty()) {
                    backfills.validate(c, m); // every directive and the table/key it names, before any change
                }
            }
            if (!todo.isEmpty() && gate != PendingGate.NONE) {
                List<Migration> applied = new ArrayList<>();
                for (MigrationStatus s : plan.statuses()) {
                    if (s.migration() != null && s.state() == MigrationState.APPLIED) {
                        applied.add(s.migration().parse());
                    }
                }
                gate.check(applied, todo, c);
            }
            listener.planned(Direction.UP, todo);
            return run(todo, Direction.UP, plan, ex, options.dryRun(), t0, waited, backfills);
        }, dir);
    }

    private MigrateResult run(List<Migration> todo, Direction direction, Plan plan, Executor ex, boolean dryRun, long t0,
                              Duration waited) {
        return run(todo, direction, plan, ex, dryRun, t0, waited, null);
    }

    private MigrateResult run(List<Migration> todo, Direction direction, Plan plan, Executor ex, boolean dryRun, long t0,
                              Duration waited, BackfillRunner backfills) {
        List<Migration> done = new ArrayList<>();
        int statements = 0;
        if (!dryRun && !todo.isEmpty()) {
            ex.ensureHistory();
        }
        if (!dryRun && !plan.legacyRowsToUpgrade().isEmpty()) {
            ex.recordUpAndDownChecksums(plan.legacyRowsToUpgrade()); // once, for rows an earlier Runway wrote
        }
        try {
            for (Migration m : todo) {
                if (cancellation.requested()) {
                    throw new MigrationInterruptedException(direction, done.size(), todo.size() - done.size(), null);
                }
                if (!dryRun) {
                    // all but the last commit asynchronously; the last one's commit makes them all durable
                    ex.moreFollow(done.size() < todo.size() - 1);
                    try {
                        if (direction == Direction.UP) {
                            HistoryRow r = plan.row(m.version());
                            HistoryRow partial = r != null && r.status() == HistoryStatus.RUNNING ? r : null;
                            if (!m.directives().backfill().isEmpty()) {
                                ex.backfill(m, partial, backfills);
                            } else {
                                ex.up(m, partial);
                            }
                        } else {
                            ex.down(m);
                        }
                    } catch (RunwayException e) {
                        // a stop that reached the migration in flight (its statement cancelled, its retry sleep cut short)
                        if (cancellation.requested() && e.code() == ErrorCode.TEMPORARY) {
                            throw new MigrationInterruptedException(direction, done.size(), todo.size() - done.size(), e);
                        }
                        throw e;
                    }
                }
                done.add(m);
                statements += direction == Direction.UP ? m.up().size() : m.down().size();
            }
        } catch (RuntimeException | Error e) {
            // the run ends early: what it committed asynchronously becomes durable before the error leaves it
            ex.flush(e);
            throw e;
        }
        if (!dryRun && direction == Direction.DOWN && !done.isEmpty()) {
            ex.forgetRepeatables(done.get(0).kind());
        }
        return new MigrateResult(direction, done, statements, waited, Duration.ofNanos(System.nanoTime() - t0), dryRun, null);
    }

    @FunctionalInterface
    private interface LockedWork<T> {
        T run(Connection c, Plan plan, Executor ex, long t0, Duration lockWait) throws SQLException;
    }

    private <T> T locked(MigrationKind kind, MigrationListener listener, boolean dryRun, LockedWork<T> work, Prepared dir) {
        return locked(kind, listener, dryRun, work, dir, false);
    }

    /**
     * Connects, takes the lock, reads the history and plans; then runs {@code work}. The history table
     * is created here only when {@code createHistory}; migrate and rollback create it just before their
     * first change ({@link Executor#ensureHistory}), so a run refused for a bad file changes nothing.
     */
    private <T> T locked(MigrationKind kind, MigrationListener listener, boolean readOnly, LockedWork<T> work,
                         Prepared dir, boolean createHistory) {
        long t0 = System.nanoTime();
        // back-off sleeps (lock wait, lock-timeout retries, backfill pauses) end as soon as a stop is requested
        RunwayConfig config = this.config.withSleeper(cancellation.sleeper(this.config.sleeper()));
        try (Connection c = dir.connection()) {
            cancellation.sessionStarted(c);
            try {
                return lockedOn(c, config, kind, listener, readOnly, work, dir, createHistory, t0);
            } finally {
                cancellation.sessionEnded();
            }
        } catch (SQLException e) {
            throw wrap(e);
        }
    }

    /**
     * {@link PgSession#enableDeadClientDetection} and this session's {@code pg_backend_pid()} (for {@link Pooling#detect}),
     * in one round trip (every release pays it, a no-op too).
     */
    private static int deadClientDetectionAndPid(Connection c, int major) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean rows = st.execute(PgSession.deadClientDetectionSql(major) + "; SELECT pg_backend_pid()");
            while (!rows) {
                if (st.getUpdateCount() == -1) {
                    throw new IllegalStateException("pg_backend_pid() returned no row");
                }
                rows = st.getMoreResults();
            }
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Before the lock and before any change: behind a protocol-level pooler, probe whether it pools
     * transactions (a second connection through the same address; see {@link Pooling#detect}) and
     * refuse if so. A direct connection costs no query of its own: {@code mine} is this session's
     * {@code pg_backend_pid()}, read with the keepalive settings.
     */
    private static void refuseTransactionPooling(Connection c, int mine, RunwayConfig config, MigrationListener listener)
            throws SQLException {
        Pooling p = Pooling.detect(c, mine, () -> PgSession.connect(config.url(), config.applicationName() + " (pooler probe)"));
        if (p == Pooling.TRANSACTION) {
            throw new TransactionPoolingException(config.url().toString(), "a second client of it was handed this client's"
                    + " server session, or this client's next statement ran on another one", "Nothing was changed.");
        }
        if (p == Pooling.SESSION) {
            listener.notice("connected through a session-pooling proxy (the server session stays this client's; checked before"
                    + " taking the migration lock)");
        }
    }

    /**
     * {@link MigrationLock#verifyHeld()} and the history table's {@link HistoryTable#shape}, in one round trip (every
     * release pays it, a no-op too). A failure before the lock was judged is the lock check's ({@link MigrationLock#lost}).
     */
    private HistoryTable.Shape checkedShape(Connection c, MigrationLock lock) throws SQLException {
        boolean judged = false;
        try (Statement st = c.createStatement()) {
            st.execute(lock.checkSql() + "; " + history.shapeSql());
            try (ResultSet rs = st.getResultSet()) {
                lock.check(rs);
            }
            judged = true;
            st.getMoreResults();
            try (ResultSet rs = st.getResultSet()) {
                return HistoryTable.shape(rs);
            }
        } catch (SQLException e) {
            if (!judged) {
                throw MigrationLock.lost(e);
            }
            throw e;
        }
    }

    private <T> T lockedOn(Connection c, RunwayConfig config, MigrationKind kind, MigrationListener listener, boolean readOnly,
                           LockedWork<T> work, Prepared dir, boolean createHistory, long t0) throws SQLException {
        int major = PgSession.majorVersion(c);
        refuseTransactionPooling(c, deadClientDetectionAndPid(c, major), config, listener);
        long key = MigrationLock.key(config.url().database(), config.schema(), config.table());
        Instant w0 = config.clock().instant();
        MigrationLock acquired;
        try {
            acquired = MigrationLock.acquire(c, key, config.lockWait(), config.clock(), config.sleeper(),
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), config.random()), listener::lockWaiting,
                    config.url().toString());
        } catch (RunwayException e) {
            if (cancellation.requested() && e.code() == ErrorCode.TEMPORARY) {
                throw new MigrationInterruptedException(Direction.UP, 0, -1, e);
            }
            throw e;
        }
        try (MigrationLock lock = acquired) {
            Duration waited = Duration.between(w0, config.clock().instant());
            listener.lockAcquired(waited);
            HistoryTable.Shape shape = checkedShape(c, lock);
            if (!shape.exists() && createHistory && !readOnly) {
                history.create(c);
                shape = new HistoryTable.Shape(true, true);
            }
            List<HistoryRow> rows = shape.exists() ? history.read(c, kind, shape.checksumColumns()) : List.of();
            Plan plan = Plan.of(dir.index().refs(), rows, config.allowOutOfOrder());
            Executor ex = new Executor(config, c, history, listener, major, cancellation.flag(), VERSION, shape, lock);
            T result = work.run(c, plan, ex, t0, waited);
            if (result instanceof MigrateResult) {
                MigrateResult r = (MigrateResult) result;
                // the history changed only if something ran: a no-op reads it once
                String now = readOnly || r.done().isEmpty() ? current(rows) : current(history.read(c, kind));
                return cast(new MigrateResult(r.direction(), r.done(), r.statements(), r.lockWait(),
                        Duration.ofNanos(System.nanoTime() - t0), r.dryRun(), now));
            }
            return result;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static String current(List<HistoryRow> rows) {
        MigrationVersion v = null;
        for (HistoryRow r : rows) {
            if (!r.version().isRepeatable() && (r.status() == HistoryStatus.APPLIED || r.status() == HistoryStatus.BASELINE)
                    && (v == null || r.version().compareTo(v) > 0)) {
                v = r.version();
            }
        }
        return v == null ? null : v.text();
    }

    /**
     * The directory read and verified, and a connection opened at the same time on another thread
     * (or taken from {@link #connectAhead()}): connecting (driver start-up, TCP, authentication) and
     * hashing the files overlap, which is most of what a no-op release costs. The directory is listed,
     * read and hashed once and runway.sum checked from those hashes; files are parsed later, only
     * those that will run, so a bad file name, encoding or duplicate version is reported as itself
     * (exit 2) before any runway.sum mismatch (exit 4). If the directory is bad, the connection is
     * closed unused.
     */
    private Prepared prepare(MigrationKind kind, Path dirPath) {
        CompletableFuture<Connection> conn;
        synchronized (this) {
            conn = ahead != null ? ahead : openInBackground();
            ahead = null;
        }
        Prepared p = new Prepared(null, conn);
        try {
            return new Prepared(load(kind, dirPath), conn);
        } catch (RuntimeException e) {
            p.abandon();
            throw e;
        }
    }

    private CompletableFuture<Connection> openInBackground() {
        CompletableFuture<Connection> conn = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                conn.complete(PgSession.connect(config.url(), config.applicationName()));
            } catch (Throwable e) {
                conn.completeExceptionally(e);
            }
        }, "runway-connect");
        t.setDaemon(true);
        t.start();
        return conn;
    }

    /** A read directory and the connection being opened for it. */
    private record Prepared(DirectoryIndex index, CompletableFuture<Connection> pending) {
        Connection connection() {
            try {
                return pending.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                if (e.getCause() instanceof Error) {
                    throw (Error) e.getCause(); // e.g. OutOfMemoryError while connecting: reported as itself
                }
                throw e;
            }
        }

        /** Closes the connection once it is open (or drops the failure): the run stops before using it. */
        void abandon() {
            pending.whenComplete((c, e) -> {
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing an unused connection: nothing to report
                    }
                }
            });
        }
    }

    private DirectoryIndex load(MigrationKind kind, Path dirPath) {
        if (!Files.isDirectory(dirPath) && kind == MigrationKind.SCHEMA) {
            throw RunwayException.usage(dirPath + ": directory not found (create it, or pass --dir / set RUNWAY_DIR)");
        }
        DirectoryIndex dir = DirectoryIndex.read(dirPath, kind, config.placeholdersWithBuiltIns());
        dir.verifySum();
        return dir;
    }

    private RunwayException wrap(SQLException e) {
        if (SqlStates.isSessionLost(e)) {
            return PgSession.unreachable(config.url(), e);
        }
        return new RunwayException(ErrorCode.MIGRATION_FAILED, "database error: " + dev.runway.migrate.internal.SqlErrors.oneLine(e), e);
    }

    private static String versionOf() {
        String v = Runway.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
