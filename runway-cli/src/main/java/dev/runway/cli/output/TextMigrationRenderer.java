package dev.runway.cli.output;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.lock.LockHolder;
import java.time.Duration;
import java.util.List;

/**
 * Renders migration events as text in the style of {@code atlas migrate apply}: one block per
 * migration, one line per statement with its time, a summary. Progress goes to stdout in order.
 * On a terminal, work that takes more than a second also gets a {@link ProgressLine} below the log;
 * call {@link #close()} when the run ends, however it ends.
 *
 * <p>Without a progress line (not a terminal: a release machine, a pipe, a file) lines are collected
 * and written in one go: a migration's header as soon as it starts, the lines of a transactional
 * migration once it has committed (with the next migration's header, or the summary) or failed. That
 * is one write per migration instead of one per line, which a release of 1,000 migrations otherwise
 * pays 5,000 times on its critical path (issue #15); until the commit nothing of such a migration is
 * visible to other sessions either. The lines of a non-transactional migration's statements, each
 * committed on its own, and every other event are written at once.
 */
public final class TextMigrationRenderer implements MigrationListener, AutoCloseable {
    private final Output o;
    private final String from;
    private final boolean progressWanted;
    private ProgressLine progress;
    private Direction direction = Direction.UP;
    /** Lines not written yet (no progress line only): those of the transactional migration running now. */
    private final StringBuilder pending = new StringBuilder(512);

    public TextMigrationRenderer(Output o, String fromVersion) {
        this(o, fromVersion, false);
    }

    /** @param progress whether to show a progress line (stdout is a terminal: {@link ProgressLine#wanted()}) */
    public TextMigrationRenderer(Output o, String fromVersion, boolean progress) {
        this.o = o;
        this.from = fromVersion;
        this.progressWanted = progress;
    }

    /** The progress line shows which statement of a migration is running: it needs each as it ends. */
    @Override
    public boolean liveStatements() {
        return progressWanted;
    }

    @Override
    public void lockWaiting(LockHolder holder, Duration waited) {
        flush();
        o.err().println(o.yellow("waiting for the migration lock") + " (" + Output.took(waited) + "): held by "
                + (holder == null ? "another session" : holder.describe()));
    }

    @Override
    public void planned(Direction direction, List<Migration> migrations) {
        if (migrations.isEmpty()) {
            return;
        }
        Migration last = migrations.get(migrations.size() - 1);
        int n = migrations.size();
        if (progressWanted && progress == null) {
            progress = new ProgressLine(o.out(), System::nanoTime, ProgressLine.terminalWidth(), n, "migrations").startTicker();
        }
        if (direction == Direction.UP) {
            o.line("Migrating to version " + last.version() + (from != null ? " from " + from : "") + " (" + n
                    + (n == 1 ? " migration" : " migrations") + " in total):");
        } else {
            o.line("Rolling back " + n + (n == 1 ? " migration" : " migrations") + " (down to before version " + last.version() + "):");
        }
        o.line("");
    }

    @Override
    public void migrationStarted(Migration m, Direction direction, int attempt, int fromStatement) {
        String what = direction == Direction.UP ? "migrating" : "reverting";
        this.direction = direction;
        if (progress != null) {
            progress.current(m.version() + " " + m.description() + statementOf(m, direction, fromStatement));
        }
        line("  -- " + what + " version " + m.version() + " (" + m.description() + ")"
                + (attempt > 1 ? o.yellow(" attempt " + attempt) : "")
                + (fromStatement > 0 ? " from statement " + (fromStatement + 1) : ""));
        flush(); // what is running is always on screen
    }

    @Override
    public void statementDone(Migration m, SqlStatement s, int index, Duration took) {
        line(previewInto(new StringBuilder(128).append("    -> "), s.sql()).append(' ').append(o.dim(Output.took(took))).toString());
        if (!inOneTransaction(m)) {
            flush(); // committed on its own: shown as soon as it is done
        }
        if (progress != null) {
            progress.current(m.version() + " " + m.description() + statementOf(m, direction, index + 1));
        }
    }

    /** Whether {@code m}'s section running now commits as a whole (its lines may wait for the commit). */
    private boolean inOneTransaction(Migration m) {
        TransactionMode mode = direction == Direction.UP ? m.transactionMode() : m.downTransactionMode();
        return mode == TransactionMode.TRANSACTIONAL && m.directives().backfill().isEmpty();
    }

    /** ": statement 2/3" for a migration of several statements, else "". */
    private static String statementOf(Migration m, Direction d, int index) {
        List<SqlStatement> all = d == Direction.UP ? m.up() : m.down();
        int n = all == null ? 0 : all.size();
        return n > 1 && index < n ? ": statement " + (index + 1) + "/" + n : "";
    }

    @Override
    public void retrying(Migration m, int attempt, int maxAttempts, Duration delay, String reason) {
        line("  " + o.yellow("-- retry " + attempt + "/" + (maxAttempts - 1)) + ": " + reason + "; rolled back, trying again in "
                + Output.took(delay));
        flush();
    }

    @Override
    public void migrationDone(Migration m, Direction direction, Duration took) {
        line("  -- " + o.green("ok") + " (" + Output.took(took) + ")");
        line(""); // written with the next migration's header, or by the summary (close() on any other end)
        if (progress != null) {
            progress.step();
        }
    }

    @Override
    public void migrationFailed(Migration m, SqlStatement s, String error) {
        if (s != null) {
            line("    -> " + preview(s.sql()));
        }
        line("  -- " + o.red("failed") + ": " + error);
        line("");
        flush();
    }

    /** A summary line at most this often while a backfill runs (never one per batch), plus one at the end. */
    static final long BACKFILL_LINE_NANOS = 5_000_000_000L;
    private long backfillLineAt;

    @Override
    public void backfillProgress(Migration m, BackfillProgress p) {
        if (progress != null) {
            progress.current(m.description() + " " + progressLabel(p));
        }
        long now = System.nanoTime();
        if (p.done()) {
            line("    -> backfill done: " + backfillLabel(p) + " " + o.dim(Output.took(p.elapsed())));
            backfillLineAt = 0;
        } else if (backfillLineAt == 0) {
            backfillLineAt = now;
        } else if (now - backfillLineAt >= BACKFILL_LINE_NANOS) {
            line("    -> backfill: " + backfillLabel(p));
            backfillLineAt = now;
        }
        flush();
    }

    /** For the progress line, most telling first (it is cut to the terminal width): "45%, 12000 rows/s, ETA 4s, 45000 rows, batch 5000". */
    static String progressLabel(BackfillProgress p) {
        StringBuilder b = new StringBuilder();
        double f = p.fraction();
        if (f >= 0) {
            b.append((int) (f * 100)).append("%, ");
        }
        b.append(Math.round(p.rowsPerSecond())).append(" rows/s");
        if (p.eta() != null && !p.done()) {
            b.append(", ETA ").append(p.eta().toSeconds()).append('s');
        }
        return b.append(", ").append(p.rows()).append(" rows, batch ").append(p.batchSize()).toString();
    }

    /** "45000 rows in 9 batches, after id 45000 (45%), 12000 rows/s, batch 5000" (done: "100000 rows in 20 batches, 41000 rows/s"). */
    static String backfillLabel(BackfillProgress p) {
        StringBuilder b = new StringBuilder().append(p.rows()).append(" rows in ").append(p.batches()).append(" batches");
        if (!p.done()) {
            if (p.position() != null) {
                b.append(", after ").append(p.position().display());
            }
            if (p.fraction() >= 0) {
                b.append(" (").append((int) (p.fraction() * 100)).append("%)");
            }
        }
        b.append(", ").append(Math.round(p.rowsPerSecond())).append(" rows/s");
        if (!p.done()) {
            b.append(", batch ").append(p.batchSize());
        }
        return b.toString();
    }

    @Override
    public void backfillWaiting(Migration m, String reason, Duration waited) {
        line("  -- " + o.yellow("waiting") + ": " + reason + (waited.toMillis() >= 1000 ? " (" + Output.took(waited) + ")" : ""));
        flush();
        if (progress != null) {
            progress.current(m.description() + " waiting: " + reason);
        }
    }

    @Override
    public void notice(String message) {
        line("  -- " + o.yellow("note") + ": " + message);
        flush();
    }

    /** Writes what is pending and erases the progress line, if any (idempotent). */
    @Override
    public void close() {
        flush();
        if (progress != null) {
            progress.close();
        }
    }

    private void line(String s) {
        if (progress != null) {
            progress.println(s);
        } else {
            pending.append(s).append(System.lineSeparator());
        }
    }

    /** Writes the pending lines in one go. */
    private void flush() {
        if (pending.length() > 0) {
            java.io.PrintStream out = o.out();
            out.print(pending);
            out.flush();
            pending.setLength(0);
        }
    }

    /** The closing summary block; a dry run first lists each migration with the SQL it would run. */
    public void summary(MigrateResult r) {
        close();
        if (r.dryRun()) {
            dryRunPlan(r);
        }
        if (r.done().isEmpty()) {
            o.line(r.dryRun() ? "Nothing to do (dry run)." : "No migration files to execute"
                    + (r.currentVersion() != null ? "; the database is at version " + r.currentVersion() : "") + ".");
            return;
        }
        o.line("  -------------------------");
        o.line("  -- " + Output.took(r.total()) + (r.lockWait().toMillis() >= 1 ? " (waited " + Output.took(r.lockWait()) + " for the lock)" : ""));
        int n = r.done().size();
        o.line("  -- " + n + (n == 1 ? " migration" : " migrations") + (r.dryRun() ? " (dry run: nothing was changed)" : ""));
        o.line("  -- " + r.statements() + (r.statements() == 1 ? " sql statement" : " sql statements"));
    }

    /** Every migration a dry run would apply or revert, with its file and every statement in full. */
    private void dryRunPlan(MigrateResult r) {
        boolean up = r.direction() == Direction.UP;
        for (Migration m : r.done()) {
            DryRunPlan.Step step = DryRunPlan.step(m, r.direction());
            o.line("  -- would " + (up ? "apply" : "revert") + " version " + m.version() + " (" + m.description() + "): "
                    + step.file() + ", " + step.label());
            for (SqlStatement s : step.statements()) {
                o.line(o.dim("    -- line " + s.line()));
                s.sql().strip().lines().forEach(l -> o.line("    " + l));
            }
            o.line("");
        }
    }

    /** First line of a statement, at most 100 characters, with its terminating semicolon. */
    static String preview(String sql) {
        return previewInto(new StringBuilder(104), sql).toString();
    }

    /** Appends {@link #preview} of {@code sql} to {@code b}, copying only the characters shown. */
    static StringBuilder previewInto(StringBuilder b, String sql) {
        String s = sql.strip(); // the same string when there is nothing to strip (a statement's text starts and ends with a token)
        int end = s.indexOf('\n');
        boolean cut = end >= 0;
        if (cut) {
            while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) { // stripTrailing (no whitespace is a surrogate pair)
                end--;
            }
        } else {
            end = s.length();
        }
        if (end > 100) {
            end = 97;
            cut = true;
        }
        return b.append(s, 0, end).append(cut ? " ..." : ";");
    }
}
