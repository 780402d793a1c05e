package dev.runway.migrate.backfill;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.Migration;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the data migrations that carry a {@code -- runway:backfill ...} directive (docs/backfill.md). The
 * engine cannot depend on the module that implements batching ({@code runway-backfill} depends on
 * it), so the caller supplies a runner: {@code Runway.migrateData(options, listener, runner)}; the CLI
 * passes {@code dev.runway.backfill.Backfiller}. Without a runner, a pending backfill is refused.
 *
 * <p>The engine keeps the lock and the history row; the runner does the batches on the locked
 * session and keeps its own checkpoint, committed with each batch. Implementations must be safe to
 * call from the migrating thread only.
 */
public interface BackfillRunner {
    /**
     * Checks the directive and what it names (table, key column) before anything changes.
     *
     * @throws RunwayException USAGE naming {@code file:line} of the directive
     */
    void validate(Connection c, Migration m) throws SQLException;

    /**
     * Runs (or resumes) the backfill to its end, or until {@link BackfillRun#stopRequested()} is true
     * between batches.
     *
     * @return true when the backfill finished, false when it stopped on request (its checkpoint saved)
     */
    boolean run(BackfillRun run) throws SQLException;

    /**
     * Whether any batch of {@code m} has committed (its checkpoint exists). After a failure of a fresh
     * run with no batch committed, the engine removes the history row, so the migration is as if it never
     * ran (like a failed transactional migration) and a fixed file can run from the start.
     */
    boolean anyBatchDone(Connection c, Migration m, String schema, String historyTable) throws SQLException;

    /**
     * For {@code runway repair} of a failed backfill: checks {@code m} as it is now (directive, key,
     * statements) and that its saved checkpoint still fits it, before anything changes, and describes
     * that checkpoint, e.g. {@code "45000 rows in 9 batches, after id 45000"}.
     *
     * @return the checkpoint's description, or null when there is none (the backfill would start over)
     * @throws dev.runway.core.RunwayException USAGE for a bad file, INTEGRITY when the checkpoint cannot be
     *                                         continued by the file as it is now (e.g. its key changed)
     */
    String repairPlan(Connection c, Migration m, String schema, String historyTable) throws SQLException;

    /** {@code file:line} of the backfill directive of {@code m} (its first line when the file cannot be read). */
    static String where(Migration m) {
        try {
            List<String> lines = Files.readAllLines(m.file());
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.startsWith("--") && l.substring(2).strip().startsWith("runway:backfill")) {
                    return m.displayName() + ":" + (i + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the file was read a moment ago; fall through to the first line
        }
        return m.displayName() + ":1";
    }
}
