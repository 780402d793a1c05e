package dev.runway.lint;

import dev.runway.lint.internal.rules.Candidate;
import dev.runway.lint.internal.rules.StaticAnalyzer;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.migrate.dir.Migration;
import java.util.ArrayList;
import java.util.List;

/**
 * The static half of {@code check}, for {@code release}'s gate: no database, linear in the number of
 * statements (1,000 files in well under a second). Findings that the dynamic trace would refine
 * (rewrites, validation scans) are reported as the text suggests; the safe recipes the rules can see
 * in the files themselves (a CHECK validated in an earlier migration, varchar widening, a table
 * created in the same migration) are accepted. Stateless and thread-safe.
 */
public final class StaticGate {
    private StaticGate() {
    }

    /**
     * The release gate: findings for the pending migrations, nolint directives and {@code config}
     * applied. {@code release} refuses (exit 3) when {@link #blocks} is true.
     *
     * @throws dev.runway.core.RunwayException USAGE naming file:line for a nolint of an unknown rule
     */
    public static List<Finding> check(List<Migration> pending, LintConfig config) {
        return checkAll(List.of(), Migrations.of(pending), config);
    }

    /** Like {@link #check(List, LintConfig)}, learning columns and constraints from the applied migrations first. */
    public static List<Finding> check(List<Migration> applied, List<Migration> pending, LintConfig config) {
        return checkAll(Migrations.of(applied), Migrations.of(pending), config);
    }

    /**
     * Findings for {@code pending} (however loaded), with the already-applied migrations as context:
     * they are read (not checked) so the rules know the columns and constraints they created.
     */
    public static List<Finding> checkAll(List<CheckedMigration> applied, List<CheckedMigration> pending, LintConfig config) {
        return analyze(applied, pending, config).findings();
    }

    /**
     * Findings for the pending migrations, and the tables they create (which the target does not have
     * before the run: {@link TargetGate#judge} lets their lock and rewrite findings pass).
     */
    public static TargetGate.Pending pending(List<Migration> applied, List<Migration> pending, LintConfig config) {
        return analyze(Migrations.of(applied), Migrations.of(pending), config);
    }

    private static TargetGate.Pending analyze(List<CheckedMigration> applied, List<CheckedMigration> pending, LintConfig config) {
        StaticAnalyzer a = new StaticAnalyzer(config);
        for (CheckedMigration m : applied) {
            a.learn(m);
        }
        java.util.Set<String> before = new java.util.HashSet<>(a.created());
        List<Finding> out = new ArrayList<>();
        for (CheckedMigration m : pending) {
            List<Finding> fs = new ArrayList<>();
            for (Candidate k : a.analyze(m)) {
                fs.add(Findings.of(k, m, config));
            }
            Findings.addAll(out, fs);
        }
        java.util.Set<String> created = new java.util.HashSet<>(a.created());
        created.removeAll(before);
        return new TargetGate.Pending(Findings.sorted(out), created);
    }

    /** True when any finding is an error (release refuses, exit 3). */
    public static boolean blocks(List<Finding> findings) {
        for (Finding f : findings) {
            if (f.severity() == Severity.ERROR) {
                return true;
            }
        }
        return false;
    }
}
