package dev.runway.migrate;

import dev.runway.core.Backoff;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
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
import dev.runway.migrate.internal.Executor;
import dev.runway.migrate.internal.FlywayHistory;
import dev.runway.migrate.lock.MigrationLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The migration engine as a Java API, the counterpart of Ecto's {@code Release} module:
 * {@link #migrate}, {@link #migrateData}, {@link #rollback}, {@link #status}, {@link #repair},
 * {@link #baseline}. Each call verifies {@code runway.sum}, connects, takes the migration lock
 * on the session that does the work, computes what to do under the lock, does it, and releases.
 *
 * <p>Thread-safe in the sense that concurrent calls (in one or many processes) serialize on the
 * database lock; {@link #cancel()} may be called from any thread (e.g. a signal handler) and stops
 * the run at the next safe point.
 */
public final class Runway {
    /** Runway's own version, recorded in each history row. */
    public static final String VERSION = versionOf();

    private final RunwayConfig config;
    private final HistoryTable history;
    private final AtomicBoolean stop = new AtomicBoolean();
    /** A connection being opened by {@link #connectAhead()}, taken by the next call; null when none. */
    private CompletableFuture<Connection> ahead;

    private Runway(RunwayConfig config) {
        this.config = config;
        this.history = new HistoryTable(config.schema(), config.table());
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

    /** Asks a running call to stop at the next safe point (between migrations, or statements of a non-transactional one). */
    public void cancel() {
        stop.set(true);
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
            List<Migration> todo = new ArrayList<>();
            for (MigrationStatus s : plan.appliedNewestFirst()) {
                if (options.to() != null && s.version().compareTo(options.to()) <= 0) {
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
            boolean exists = historyExists(c);
            List<HistoryRow> rows = exists ? history.read(c, kind) : List.of();
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
                        work.add(() -> resumable(c, r, m.checksum()));
                    }
                } else if (r.statementsDone() == 0 || s.migration() == null) {
                    actions.add(label + ": delete the failed row (nothing of it was applied); the next migrate runs it from the start");
                    work.add(() -> history.delete(c, r.kind(), r.version()));
                } else {
                    actions.add(label + ": mark resumable; the next migrate resumes at statement " + (r.statementsDone() + 1)
                            + " of " + r.statementsTotal() + " (statements 1.." + r.statementsDone() + " stay applied)");
                    work.add(() -> resumable(c, r, s.migration().checksum()));
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

    private void resumable(Connection c, HistoryRow r, String checksum) throws SQLException {
        history.updateChecksum(c, r.kind(), r.version(), checksum);
        history.updateProgress(c, r.kind(), r.version(), HistoryStatus.RUNNING, r.statementsDone(), null, r.durationMs());
    }

    /**
     * Adopts an existing database: records {@code version} as the baseline, so every file up to it
     * counts as applied. With {@code version} null, takes the newest successful version from a
     * {@code flyway_schema_history} table in the same schema.
     *
     * @return the baseline version recorded
     */
    public MigrationVersion baseline(MigrationVersion version, MigrationListener listener) {
        Prepared dir = prepare(MigrationKind.SCHEMA, config.dir());
        MigrationVersion[] chosen = {version};
        locked(MigrationKind.SCHEMA, listener, false, (c, plan, ex, t0, waited) -> {
            if (!plan.statuses().stream().allMatch(s -> s.row() == null)) {
                throw new RunwayException(ErrorCode.INTEGRITY, history.displayName() + " already has rows; baseline only"
                        + " adopts a database Runway has never migrated (see 'runway status')");
            }
            if (chosen[0] == null) {
                chosen[0] = FlywayHistory.newestVersion(c, config.schema());
                if (chosen[0] == null) {
                    throw RunwayException.usage("baseline: give --version V (no " + config.schema()
                            + ".flyway_schema_history table with a successful versioned row was found)");
                }
            }
            String name = dir.index().find(chosen[0]).map(MigrationRef::description).orElse("<< baseline >>");
            history.insert(c, new HistoryRow(chosen[0], name, MigrationKind.SCHEMA, "baseline", HistoryStatus.BASELINE, 0, 0,
                    null, null, 0, config.appliedBy(), VERSION));
            return null;
        }, dir, true);
        return chosen[0];
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
                gate.check(applied, todo);
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
        for (Migration m : todo) {
            if (stop.get()) {
                break;
            }
            if (!dryRun) {
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
            }
            done.add(m);
            statements += direction == Direction.UP ? m.up().size() : m.down().size();
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
        stop.set(false);
        try (Connection c = dir.connection()) {
            int major = PgSession.majorVersion(c);
            PgSession.enableDeadClientDetection(c, major);
            long key = MigrationLock.key(config.url().database(), config.schema(), config.table());
            Instant w0 = config.clock().instant();
            try (MigrationLock lock = MigrationLock.acquire(c, key, config.lockWait(), config.clock(), config.sleeper(),
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), config.random()), listener::lockWaiting)) {
                Duration waited = Duration.between(w0, config.clock().instant());
                listener.lockAcquired(waited);
                lock.verifyHeld();
                boolean exists = historyExists(c);
                if (!exists && createHistory && !readOnly) {
                    history.create(c);
                    exists = true;
                }
                List<HistoryRow> rows = exists ? history.read(c, kind) : List.of();
                Plan plan = Plan.of(dir.index().refs(), rows, config.allowOutOfOrder());
                Executor ex = new Executor(config, c, history, listener, major, stop, VERSION, exists);
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
        } catch (SQLException e) {
            throw wrap(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private boolean historyExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, history.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String current(List<HistoryRow> rows) {
        MigrationVersion v = null;
        for (HistoryRow r : rows) {
            if ((r.status() == HistoryStatus.APPLIED || r.status() == HistoryStatus.BASELINE)
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
        DirectoryIndex dir = DirectoryIndex.read(dirPath, kind);
        dir.verifySum();
        return dir;
    }

    private RunwayException wrap(SQLException e) {
        if (PgSession.isConnectionFailure(e)) {
            return PgSession.unreachable(config.url(), e);
        }
        return new RunwayException(ErrorCode.MIGRATION_FAILED, "database error: " + dev.runway.migrate.internal.SqlErrors.oneLine(e), e);
    }

    private static String versionOf() {
        String v = Runway.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
