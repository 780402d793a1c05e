package dev.runway.cli.output;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.lock.LockHolder;
import java.time.Duration;
import java.util.List;

/**
 * Renders migration events as text in the style of {@code atlas migrate apply}: one block per
 * migration, one line per statement with its time, a summary. Progress goes to stdout in order.
 */
public final class TextMigrationRenderer implements MigrationListener {
    private final Output o;
    private final String from;

    public TextMigrationRenderer(Output o, String fromVersion) {
        this.o = o;
        this.from = fromVersion;
    }

    @Override
    public void lockWaiting(LockHolder holder, Duration waited) {
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
        o.line("  -- " + what + " version " + m.version() + " (" + m.description() + ")"
                + (attempt > 1 ? o.yellow(" attempt " + attempt) : "")
                + (fromStatement > 0 ? " from statement " + (fromStatement + 1) : ""));
    }

    @Override
    public void statementDone(Migration m, SqlStatement s, int index, Duration took) {
        o.line("    -> " + preview(s.sql()) + " " + o.dim(Output.took(took)));
    }

    @Override
    public void retrying(Migration m, int attempt, int maxAttempts, Duration delay, String reason) {
        o.line("  " + o.yellow("-- retry " + attempt + "/" + (maxAttempts - 1)) + ": " + reason + "; rolled back, trying again in "
                + Output.took(delay));
    }

    @Override
    public void migrationDone(Migration m, Direction direction, Duration took) {
        o.line("  -- " + o.green("ok") + " (" + Output.took(took) + ")");
        o.line("");
    }

    @Override
    public void migrationFailed(Migration m, SqlStatement s, String error) {
        if (s != null) {
            o.line("    -> " + preview(s.sql()));
        }
        o.line("  -- " + o.red("failed") + ": " + error);
        o.line("");
    }

    @Override
    public void notice(String message) {
        o.line("  -- " + o.yellow("note") + ": " + message);
    }

    /** The closing summary block. */
    public void summary(MigrateResult r) {
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

    /** First line of a statement, at most 100 characters, with its terminating semicolon. */
    static String preview(String sql) {
        String s = sql.strip();
        int nl = s.indexOf('\n');
        boolean cut = false;
        if (nl >= 0) {
            s = s.substring(0, nl).stripTrailing();
            cut = true;
        }
        if (s.length() > 100) {
            s = s.substring(0, 97);
            cut = true;
        }
        return cut ? s + " ..." : s + ";";
    }
}
