package dev.runway.lint;

import dev.runway.lint.internal.rules.Candidate;
import dev.runway.lint.internal.trace.MigrationTrace;
import dev.runway.lint.internal.trace.StatementTrace;
import dev.runway.lint.internal.trace.TableEffect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines the static candidates of one migration with its trace. A candidate whose evidence the
 * trace looked for and did not see is dropped (the catalog made it safe); what the trace saw and no
 * rule explained becomes a finding of its own (RW101, RW130, RW131, RW2xx); failures and round-trip
 * problems become RW400-RW403. Stateless.
 */
final class Merge {
    private Merge() {
    }

    static List<Finding> findings(CheckedMigration m, List<Candidate> cands, MigrationTrace t, LintConfig cfg, Map<String, TableSize> sizes) {
        List<Finding> out = new ArrayList<>();
        Set<String> explained = new HashSet<>();
        for (Candidate k : cands) {
            StatementTrace st = t == null ? null : t.statement(k.stmtIndex());
            if (st != null && k.evidence() != Candidate.Evidence.NONE && !confirmed(k, st)) {
                continue;
            }
            explained.add(k.stmtIndex() + "|" + (k.table() == null ? "*" : k.table()));
            explained.add(k.stmtIndex() + "|" + k.rule());
            add(out, Findings.of(k, m, cfg), sizes, k.table());
        }
        if (t == null) {
            return out;
        }
        for (StatementTrace st : t.statements()) {
            if (!st.traced()) {
                continue;
            }
            for (TableEffect e : st.effects()) {
                if (explained.contains(st.index() + "|" + e.table()) || explained.contains(st.index() + "|*")
                        || e.parent() != null && explained.contains(st.index() + "|" + e.parent())) {
                    continue;
                }
                RuleId r = e.rewritten() ? RuleId.RW130 : e.shareLock() ? RuleId.RW101 : e.scanUnderBlockingLock() ? RuleId.RW131 : null;
                if (r == null) {
                    continue;
                }
                String lock = TableEffect.display(e.heldLock()) + " on " + e.table();
                String what = r == RuleId.RW130 ? "rewrote " + e.table() + " (its relfilenode changed)"
                        : r == RuleId.RW101 ? "built an index on " + e.table() + " under SHARE (writes blocked)"
                        : "scanned " + e.table() + " while holding " + TableEffect.display(e.heldLock());
                add(out, Findings.of(r, m, m.suppressed(r, false, st.index()), st.line(), "the trace saw this statement: it " + what, lock,
                        e.table(), cfg),
                        sizes, e.table());
            }
            for (String change : st.catalog()) {
                compat(out, m, st, change, explained, cfg);
            }
        }
        if (t.upError() != null) {
            boolean suppressed = m.suppressed(RuleId.RW400, false, m.statementAt(false, t.upErrorLine()));
            add(out, Findings.of(RuleId.RW400, m, suppressed, t.upErrorLine(), "fails on the scratch database: " + t.upError(),
                    null, null, cfg), sizes, null);
        }
        for (MigrationTrace.RoundTripProblem p : t.roundTrip()) {
            RuleId r = p.kind().equals("down-fails") ? RuleId.RW401 : p.kind().equals("up-fails-after-down") ? RuleId.RW402 : RuleId.RW403;
            String msg = r == RuleId.RW401 ? "the down section fails after up: " + p.message()
                    : r == RuleId.RW402 ? "up fails again after down: " + p.message()
                    : "after up, down, up the schema differs from after up: " + p.message();
            // RW401 is about a down statement, RW402 about an up statement, RW403 about the whole file.
            boolean suppressed = r == RuleId.RW403 ? m.suppressedForFile(r)
                    : m.suppressed(r, r == RuleId.RW401, m.statementAt(r == RuleId.RW401, p.line()));
            Finding f = Findings.of(r, m, suppressed, p.line(), msg, null, null, cfg);
            if (f != null && r == RuleId.RW401 && m.downFile() != null && !m.downFile().equals(m.file())) {
                // The failing statement is in the separate down file (paired .down.sql, Flyway U file).
                f = new Finding(f.rule(), f.severity(), m.downFile(), f.line(), f.message(), null, null, null, f.safeAlternative());
            }
            add(out, f, sizes, null);
        }
        return out;
    }

    private static boolean confirmed(Candidate k, StatementTrace st) {
        for (TableEffect e : st.effects()) {
            if (k.table() != null && !e.is(k.table())) {
                continue;
            }
            if (e.kind() == 'p') {
                return true; // a partitioned parent has no storage: its partitions carry the signal
            }
            switch (k.evidence()) {
                case REWRITE:
                    if (e.rewritten()) {
                        return true;
                    }
                    break;
                case SCAN:
                    if (e.scanUnderBlockingLock()) {
                        return true;
                    }
                    break;
                case SHARE_LOCK:
                    if (e.shareLock()) {
                        return true;
                    }
                    break;
                default:
                    return true;
            }
        }
        return false;
    }

    private static void compat(List<Finding> out, CheckedMigration m, StatementTrace st, String change, Set<String> explained, LintConfig cfg) {
        String[] p = change.split(" ");
        RuleId r;
        String msg;
        String table;
        switch (p[0]) {
            case "drop-table":
                r = RuleId.RW202;
                table = p[1];
                msg = "drops table " + p[1] + " (seen by the trace)";
                break;
            case "drop-column":
                r = RuleId.RW201;
                table = p[1].substring(0, p[1].indexOf('.'));
                msg = "drops column " + p[1] + " (seen by the trace)";
                break;
            case "rename-table":
                r = RuleId.RW204;
                table = p[1];
                msg = "renames table " + p[1] + " to " + p[2] + " (seen by the trace)";
                break;
            case "rename-column":
                r = RuleId.RW203;
                table = p[1].substring(0, p[1].indexOf('.'));
                msg = "renames column " + p[1] + " to " + p[2] + " (seen by the trace)";
                break;
            default:
                r = RuleId.RW205;
                table = null;
                msg = "renames value " + p[2] + " of enum " + p[1] + " to " + p[3] + " (seen by the trace)";
                break;
        }
        if (explained.contains(st.index() + "|" + r)) {
            return;
        }
        explained.add(st.index() + "|" + r);
        Finding f = Findings.of(r, m, m.suppressed(r, false, st.index()), st.line(), msg, table == null ? null : "ACCESS EXCLUSIVE on " + table,
                table, cfg);
        if (f != null) {
            out.add(f);
        }
    }

    private static void add(List<Finding> out, Finding f, Map<String, TableSize> sizes, String table) {
        if (f == null) {
            return;
        }
        TableSize size = table == null ? null : sizes.get(table);
        if (size != null && f.rule().startsWith("RW1")) {
            f = f.withImpact(verb(f.rule()) + " " + table + ", " + size.describe() + (f.lock() == null ? "" : ", under " + f.lock().replace(" on " + table, "")));
        }
        out.add(f);
    }

    private static String verb(String rule) {
        switch (rule) {
            case "RW109": case "RW110": case "RW111": case "RW112": case "RW116": case "RW130":
                return "rewrites";
            case "RW104": case "RW105": case "RW106": case "RW107": case "RW131":
                return "scans";
            case "RW101": case "RW113": case "RW114": case "RW115": case "RW117":
                return "builds an index over";
            case "RW120":
                return "empties";
            default:
                return "locks";
        }
    }
}
