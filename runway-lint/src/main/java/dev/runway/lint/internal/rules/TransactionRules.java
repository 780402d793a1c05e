package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.rules.Candidate.Evidence;
import java.util.List;

/**
 * Transaction structure and lock_timeout: RW302 (a Runway migration split into several transactions by its own
 * BEGIN/COMMIT),
 * RW121 (plain mode: a traffic-blocking statement with no lock_timeout set) and the BEGIN/COMMIT
 * tracking that RW103, RW106 and RW303 rely on. Runs first for each statement.
 */
final class TransactionRules implements Rule {
    @Override
    public void check(Stmt s, Ctx c) {
        List<Token> t = s.tokens();
        if (!s.inner() && s.sql().transactionControl()) {
            if (c.runway()) {
                if (c.m.units().isEmpty()) {
                    return; // SAVEPOINT, RELEASE, ROLLBACK TO inside Runway's own transaction
                }
                if (c.m.unitByUnit() && !c.splitReported) {
                    c.splitReported = true;
                    c.emit(RuleId.RW302, s.line(), null, null, s.keyword() + ": this file manages its own transactions, so Runway"
                            + " runs it unit by unit as written; a failure in a later unit leaves the earlier ones applied",
                            Evidence.NONE);
                }
            }
            String w = t.get(0).text().toUpperCase(java.util.Locale.ROOT);
            if (w.equals("BEGIN") || w.equals("START")) {
                c.inTx = true;
                c.beginLine = s.line();
            } else if (w.equals("COMMIT") || w.equals("END") || w.equals("ROLLBACK") && !Tok.word(t, 1, "TO")
                    && !Tok.words(t, 1, "WORK", "TO") || w.equals("ABORT")) {
                c.endTx();
            }
            return;
        }
        if (lockTimeoutSetting(t)) {
            c.lockTimeoutSet = true;
            return;
        }
        if (c.runway() || c.lockTimeoutSet || c.lockTimeoutReported) {
            return;
        }
        String table = Locks.blockingTarget(s, c);
        if (table != null) {
            c.lockTimeoutReported = true;
            c.emit(RuleId.RW121, s.line(), table.isEmpty() ? null : table, "a lock that blocks traffic" + (table.isEmpty() ? "" : " on " + table),
                    s.keyword() + " runs without lock_timeout: while it waits for its lock, every later query on "
                            + (table.isEmpty() ? "the table" : table) + " queues behind it", Evidence.NONE);
        }
    }

    /** SET [LOCAL|SESSION] lock_timeout ... or set_config('lock_timeout', ...). */
    static boolean lockTimeoutSetting(List<Token> t) {
        if (Tok.word(t, 0, "SET")) {
            int i = Tok.word(t, 1, "LOCAL") || Tok.word(t, 1, "SESSION") ? 2 : 1;
            return Tok.word(t, i, "lock_timeout");
        }
        for (int i = 0; i + 2 < t.size(); i++) {
            if (t.get(i).isWord("set_config") && t.get(i + 2).text().equalsIgnoreCase("'lock_timeout'")) {
                return true;
            }
        }
        return false;
    }
}
