package dev.runway.lint.internal.rules;

import dev.runway.lint.CheckedMigration;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Mode;
import dev.runway.lint.RuleId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of one migration while the static rules walk it. Not thread-safe. */
final class Ctx {
    final CheckedMigration m;
    final LintConfig cfg;
    final SchemaModel model;
    final List<Candidate> out = new ArrayList<>();
    /** Tables, materialized views and indexes created by this migration (exempt from lock rules). */
    final Set<String> created = new HashSet<>();
    /** Tables on which the current transaction already holds a lock that blocks writes. */
    final Set<String> lockedInTx = new HashSet<>();
    /** Constraints added NOT VALID in the current transaction: name -> table. */
    final Map<String, String> notValidInTx = new HashMap<>();
    /** Views created by this migration (a rename followed by a view of the old name is compatible). */
    final Set<String> views = new HashSet<>();
    boolean inTx;
    int beginLine;
    boolean lockTimeoutSet;
    boolean lockTimeoutReported;
    boolean splitReported;
    int stmtIndex;

    Ctx(CheckedMigration m, LintConfig cfg, SchemaModel model) {
        this.m = m;
        this.cfg = cfg;
        this.model = model;
        this.inTx = cfg.mode() == Mode.RUNWAY && m.startsInTransaction();
    }

    boolean runway() {
        return cfg.mode() == Mode.RUNWAY;
    }

    boolean isNew(String table) {
        return table != null && created.contains(table);
    }

    void emit(RuleId rule, int line, String table, String lock, String message, Candidate.Evidence evidence) {
        out.add(new Candidate(rule, stmtIndex, line, table, lock, message, evidence));
    }

    /** Records that the current transaction holds a write-blocking lock on {@code table}. */
    void locked(String table) {
        if (inTx && table != null) {
            lockedInTx.add(table);
        }
    }

    void endTx() {
        inTx = false;
        lockedInTx.clear();
        notValidInTx.clear();
    }
}
