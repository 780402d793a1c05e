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

    /** The document, with the result (null after a failure) and the error (null on success). */
    public ObjectNode document(MigrateResult r, dev.runway.core.RunwayException error) {
        if (r != null) {
            root.put("direction", r.direction().name().toLowerCase()).put("dry_run", r.dryRun())
                    .put("applied", r.done().size()).put("statements", r.statements())
                    .put("lock_wait_ms", r.lockWait().toNanos() / 1e6).put("total_ms", r.total().toNanos() / 1e6)
                    .put("current_version", r.currentVersion());
            if (r.dryRun()) {
                ArrayNode plan = root.putArray("plan");
                r.done().forEach(m -> plan.addObject().put("version", m.version().text()).put("file", m.displayName()));
            }
        }
        if (error != null) {
            root.putObject("error").put("message", error.getMessage()).put("exit_code", error.code().exitCode())
                    .put("sqlstate", error.sqlState());
        }
        return root;
    }
}
