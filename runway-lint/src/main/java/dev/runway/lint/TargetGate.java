package dev.runway.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The release gate (and {@code check --against}) judged against the real target. A finding about
 * locking, rewriting, scanning or updating a table blocks only when that table exists before this
 * run and is at least {@code gate.small-table} ({@link LintConfig#smallTableBytes()}); otherwise it
 * becomes an info finding that says why it passed ("t_1: created in this release", "feature_flags:
 * 16 kB"). A blocking one shows the real size ("orders, 12 GB, ~48,000,000 rows"). Findings that a
 * table's size does not make safe keep their severity: a dropped column or table, a rename, a
 * TRUNCATE or a required column breaks the running release or loses data on a small table too
 * (those pass only for a table this release creates). Stateless.
 */
public final class TargetGate {
    private TargetGate() {
    }

    /** How the target decides a rule's findings. */
    enum Scope {
        /** Passes for a table created in this run, or smaller than gate.small-table. */
        SIZE,
        /** Passes only for a table created in this run. */
        NEW_TABLE,
        /** Judged as written. */
        NONE
    }

    /**
     * The static findings of the pending migrations and the tables those migrations create.
     *
     * @param findings sorted, severities and suppressions applied
     * @param created  tables (and views, indexes) the pending migrations create, lower case, unqualified
     */
    public record Pending(List<Finding> findings, Set<String> created) {
        /** The tables whose size the gate needs: those named by findings the target can decide. */
        public Set<String> tablesToMeasure() {
            Set<String> t = new TreeSet<>();
            for (Finding f : findings) {
                if (f.table() != null && scope(f.rule()) != Scope.NONE && f.severity() != Severity.INFO) {
                    t.add(f.table());
                }
            }
            return t;
        }
    }

    static Scope scope(String rule) {
        switch (rule) {
            case "RW103": // fails in a transaction block whatever the size
            case "RW121": // a lock queue forms behind any waiting DDL
                return Scope.NONE;
            case "RW108": // the running release's INSERTs fail on any table
            case "RW120": // TRUNCATE empties a small table too
            case "RW201": case "RW202": case "RW203": case "RW204": case "RW205":
                return Scope.NEW_TABLE;
            default:
                return rule.startsWith("RW1") ? Scope.SIZE : Scope.NONE;
        }
    }

    /**
     * Judges {@code findings} against the target: passing ones become {@link Severity#INFO} with the
     * reason at the end of their impact ("passes: t_1: created in this release"); blocking ones carry
     * the table's size. Findings without a table, or of rules a size cannot excuse, are returned unchanged.
     */
    public static List<Finding> judge(List<Finding> findings, TargetTables target, long smallTableBytes) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Scope scope = scope(f.rule());
            String t = f.table();
            if (t == null || scope == Scope.NONE || f.severity() == Severity.INFO) {
                out.add(f);
                continue;
            }
            TableSize size = target.size(t);
            if (size == null) {
                out.add(pass(f, t + ": " + (target.createdInRun().contains(t) ? "created in this release"
                        : "not in the database before this release")));
            } else if (scope == Scope.SIZE && size.totalBytes() < smallTableBytes) {
                out.add(pass(f, t + ": " + TableSize.bytes(size.totalBytes()) + ", below gate.small-table "
                        + TableSize.bytes(smallTableBytes)));
            } else {
                out.add(f.impact() != null ? f : f.withImpact(t + ", " + size.describe()));
            }
        }
        return Findings.sorted(out);
    }

    private static Finding pass(Finding f, String why) {
        return new Finding(f.rule(), Severity.INFO, f.file(), f.line(), f.message(), f.lock(), f.table(),
                (f.impact() == null ? "" : f.impact() + "; ") + "passes: " + why, f.safeAlternative());
    }
}
