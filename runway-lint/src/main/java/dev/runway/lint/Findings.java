package dev.runway.lint;

import dev.runway.lint.internal.Suppression;
import dev.runway.lint.internal.rules.Candidate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns candidates into findings: applies the config (disabled rules, severities) and nolint comments. */
final class Findings {
    /**
     * Order of reports: file, line, rule. A class, not lambdas and method references: each call site of those is
     * linked at its first use, which a cold JVM pays for (the static check's path has none).
     */
    public static final Comparator<Finding> ORDER = new Comparator<>() {
        @Override
        public int compare(Finding a, Finding b) {
            int c = a.file().compareTo(b.file());
            if (c == 0) {
                c = Integer.compare(a.line(), b.line());
            }
            return c != 0 ? c : a.rule().compareTo(b.rule());
        }
    };

    private Findings() {
    }

    /**
     * The finding for {@code k} in {@code m}, or null when the rule is disabled or suppressed.
     * Suppression is matched on the top-level statement (so a nolint before a DO block covers its body).
     */
    public static Finding of(Candidate k, CheckedMigration m, LintConfig cfg) {
        return of(k.rule(), m, m.suppressed(k.rule(), false, k.stmtIndex()), k.line(), k.message(), k.lock(), k.table(), cfg);
    }

    /** A finding for {@code rule} at {@code line}, or null when the rule is disabled or {@code suppressed}. */
    public static Finding of(RuleId rule, CheckedMigration m, boolean suppressed, int line, String message, String lock, String table,
                             LintConfig cfg) {
        Severity sev = cfg.severity(rule);
        if (sev == null || suppressed) {
            return null;
        }
        return new Finding(rule.id(), sev, m.file(), line, message, lock, table, null, rule.safeAlternative());
    }

    /** Adds non-null findings, dropping exact duplicates (same rule, file, line, table). */
    public static void addAll(List<Finding> into, List<Finding> more) {
        for (Finding f : more) {
            if (f == null) {
                continue;
            }
            boolean dup = false;
            for (Finding g : into) {
                if (g.rule().equals(f.rule()) && g.file().equals(f.file()) && g.line() == f.line()
                        && java.util.Objects.equals(g.table(), f.table())) {
                    dup = true;
                    break;
                }
            }
            if (!dup) {
                into.add(f);
            }
        }
    }

    /** Sorted copy. */
    public static List<Finding> sorted(List<Finding> l) {
        List<Finding> out = new ArrayList<>(l);
        out.sort(ORDER);
        return out;
    }
}
