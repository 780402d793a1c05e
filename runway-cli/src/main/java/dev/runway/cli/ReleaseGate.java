package dev.runway.cli;

import dev.runway.cli.output.JsonMigrationRenderer;
import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Severity;
import dev.runway.lint.StaticGate;
import dev.runway.lint.TableSize;
import dev.runway.lint.TargetGate;
import dev.runway.lint.TargetTables;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.PendingGate;
import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code release}'s lint gate on exactly the pending migrations, under the lock, judged against the
 * target ({@link TargetGate}): table sizes are read, on the locked session, only for the tables that
 * findings name (nothing is read when nothing is pending or nothing is found). Findings go to stderr
 * (text) or into the document (JSON); errors that remain refuse the release (exit 3) before anything runs.
 */
final class ReleaseGate implements PendingGate {
    private final Output out;
    private final LintConfig lint;
    private final MigrationListener listener;

    ReleaseGate(Output out, LintConfig lint, MigrationListener listener) {
        this.out = out;
        this.lint = lint;
        this.listener = listener;
    }

    @Override
    public void check(List<Migration> applied, List<Migration> pending, Connection session) throws SQLException {
        TargetGate.Pending p = StaticGate.pending(applied, pending, lint);
        if (p.findings().isEmpty()) {
            return;
        }
        Map<String, TableSize> sizes = TargetTables.read(session, p.tablesToMeasure());
        List<Finding> findings = TargetGate.judge(p.findings(), new TargetTables(sizes, p.created()), lint.smallTableBytes());
        if (listener instanceof JsonMigrationRenderer) {
            ((JsonMigrationRenderer) listener).gate(findings);
        } else {
            for (Finding f : findings) {
                out.err().println(f.location() + ": " + f.severity().label() + " " + f.rule() + ": " + f.message()
                        + (f.lock() == null ? "" : " [" + f.lock() + "]") + (f.impact() == null ? "" : " (" + f.impact() + ")"));
                if (f.severity() != Severity.INFO) {
                    out.err().println("    safe: " + f.safeAlternative());
                }
            }
        }
        if (StaticGate.blocks(findings)) {
            List<Finding> errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
            Finding first = errors.get(0);
            throw new RunwayException(ErrorCode.CHECK_FAILED, "release refused: " + errors.size() + " lint error"
                    + (errors.size() == 1 ? "" : "s") + " in pending migrations (first: " + first.location() + " " + first.rule()
                    + (first.impact() == null ? "" : " on " + first.impact()) + "; all " + (out.json() ? "in \"gate\"" : "listed above")
                    + "); fix them, or suppress one with '-- runway:nolint RWnnn <reason>' before '-- runway:up' (whole file) or on the"
                    + " line before the statement; lock and rewrite findings on tables smaller than gate.small-table ("
                    + TableSize.bytes(lint.smallTableBytes()) + ") pass. Nothing was changed");
        }
    }
}
