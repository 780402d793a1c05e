package dev.runway.cli.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.lock.LockHolder;
import java.time.Duration;

/**
 * Collects migration events into one JSON document: {@code {"migrations":[{"version", "name",
 * "status", "duration_ms", "statements":[{"line","sql","duration_ms"}]}], "lock_wait_ms", ...}}.
 * Printed once at the end, also after a failure (with {@code "error"}).
 */
public final class JsonMigrationRenderer implements MigrationListener {
    private final ObjectNode root = Output.mapper().createObjectNode();
    private final ArrayNode migrations = root.putArray("migrations");
    private final ArrayNode notices = root.putArray("notices");
    private ObjectNode current;

    @Override
    public void lockWaiting(LockHolder holder, Duration waited) {
        if (holder != null) {
            root.putObject("lock_holder").put("pid", holder.pid()).put("application_name", holder.applicationName())
                    .put("client_addr", holder.clientAddr());
        }
    }

    @Override
    public void migrationStarted(Migration m, Direction direction, int attempt, int fromStatement) {
        current = migrations.addObject();
        current.put("version", m.version().text()).put("name", m.description()).put("file", m.displayName())
                .put("direction", direction.name().toLowerCase()).put("attempt", attempt).put("from_statement", fromStatement);
        current.putArray("statements");
    }

    @Override
    public void statementDone(Migration m, SqlStatement s, int index, Duration took) {
        ((ArrayNode) current.get("statements")).addObject().put("index", index).put("line", s.line()).put("sql", s.sql())
                .put("duration_ms", took.toNanos() / 1e6);
    }

    @Override
    public void retrying(Migration m, int attempt, int maxAttempts, Duration delay, String reason) {
        current.put("status", "retrying").put("reason", reason);
    }

    @Override
    public void migrationDone(Migration m, Direction direction, Duration took) {
        current.put("status", "ok").put("duration_ms", took.toNanos() / 1e6);
    }

    @Override
    public void migrationFailed(Migration m, SqlStatement s, String error) {
        current.put("status", "failed").put("error", error);
        if (s != null) {
            current.put("failed_line", s.line());
        }
    }

    @Override
    public void backfillProgress(Migration m, BackfillProgress p) {
        if (current != null) {
            var b = current.putObject("backfill").put("rows", p.rows()).put("batches", p.batches()).put("keys", p.keys());
            BackfillJson.putKey(b, "last_key", p.position());
            b.put("estimated_keys", p.estimatedKeys() < 0 ? null : p.estimatedKeys()).put("batch_size", p.batchSize())
                    .put("rows_per_second", Math.round(p.rowsPerSecond())).put("done", p.done());
        }
    }

    @Override
    public void backfillWaiting(Migration m, String reason, Duration waited) {
        notices.add(m.displayName() + ": waiting: " + reason);
    }

    @Override
    public void notice(String message) {
        notices.add(message);
    }

    /** Adds a top-level field to the document (e.g. release's {@code "backup"}). */
    public ObjectNode field(String name) {
        return root.putObject(name);
    }

    /** The release gate's findings, judged against the target: {@code "gate": [{rule, severity, file, line, table, message, impact}]}. */
    public void gate(java.util.List<dev.runway.lint.Finding> findings) {
        ArrayNode a = root.putArray("gate");
        for (dev.runway.lint.Finding f : findings) {
            a.addObject().put("rule", f.rule()).put("severity", f.severity().label()).put("file", f.file()).put("line", f.line())
                    .put("table", f.table()).put("message", f.message()).put("lock", f.lock()).put("impact", f.impact())
                    .put("safe", f.safeAlternative());
        }
    }

    /** The document, with the result (null after a failure) and the error (null on success). */
    public ObjectNode document(MigrateResult r, dev.runway.core.RunwayException error) {
        if (r != null) {
            root.put("direction", r.direction().name().toLowerCase()).put("dry_run", r.dryRun())
                    .put("applied", r.done().size()).put("statements", r.statements())
                    .put("lock_wait_ms", r.lockWait().toNanos() / 1e6).put("total_ms", r.total().toNanos() / 1e6)
                    .put("current_version", r.currentVersion());
            if (r.dryRun()) {
                ArrayNode plan = root.putArray("plan");
                for (dev.runway.migrate.dir.Migration m : r.done()) {
                    DryRunPlan.Step step = DryRunPlan.step(m, r.direction());
                    ObjectNode n = plan.addObject().put("version", m.version().text()).put("name", m.description())
                            .put("file", step.file()).put("transaction", step.json());
                    ArrayNode sql = n.putArray("statements");
                    step.statements().forEach(st -> sql.addObject().put("line", st.line()).put("sql", st.sql().strip()));
                }
            }
        }
        if (error != null) {
            Output.errorTo(root, error);
            boolean interrupted = error instanceof dev.runway.migrate.MigrationInterruptedException;
            root.put("interrupted", interrupted);
            if (interrupted) {
                int pending = ((dev.runway.migrate.MigrationInterruptedException) error).pending();
                root.put("pending", pending < 0 ? null : pending);
            }
        } else {
            root.put("interrupted", false);
        }
        return root;
    }
}
