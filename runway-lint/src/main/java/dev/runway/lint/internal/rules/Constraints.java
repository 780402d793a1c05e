package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.rules.Candidate.Evidence;
import java.util.List;

/** ALTER TABLE ... ADD [CONSTRAINT name] CHECK | FOREIGN KEY | UNIQUE | PRIMARY KEY | EXCLUDE. */
final class Constraints {
    private Constraints() {
    }

    static void add(Stmt s, Ctx c, List<Token> t, int i, int end, String table, boolean fresh) {
        String name = null;
        if (Tok.word(t, i, "CONSTRAINT")) {
            Tok.Name n = Tok.name(t, i + 1);
            name = n == null ? null : n.name();
            i = n == null ? i + 1 : n.next();
        }
        boolean notValid = Tok.has(t, i, end, "NOT", "VALID");
        boolean usingIndex = Tok.has(t, i, end, "USING", "INDEX");
        if (Tok.word(t, i, "CHECK")) {
            String col = notNullColumn(t, i + 1);
            if (col != null && name != null) {
                c.model.notNullCheck(name, table, col, !notValid);
            }
            if (notValid) {
                if (name != null) {
                    c.notValidInTx.put(name, table);
                }
            } else if (!fresh) {
                c.emit(RuleId.RW105, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                        "adds CHECK " + (name == null ? "" : name + " ") + "to " + table + " without NOT VALID: every row is checked while reads and writes wait",
                        Evidence.SCAN);
            }
        } else if (Tok.words(t, i, "FOREIGN", "KEY")) {
            int ref = Tok.find(t, i, end, "REFERENCES");
            Tok.Name rt = ref < 0 ? null : Tok.name(t, ref + 1);
            String referenced = rt == null ? "?" : rt.name();
            c.locked(referenced);
            if (notValid) {
                if (name != null) {
                    c.notValidInTx.put(name, table);
                }
            } else if (!fresh) {
                c.emit(RuleId.RW104, s.line(), table, "SHARE ROW EXCLUSIVE on " + table + " and " + referenced,
                        "adds FOREIGN KEY " + (name == null ? "" : name + " ") + "on " + table + " referencing " + referenced
                                + " without NOT VALID: " + table + " is scanned while writes to both tables wait", Evidence.SCAN);
            }
        } else if (Tok.word(t, i, "UNIQUE") && !usingIndex && !fresh) {
            c.emit(RuleId.RW113, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                    "adds UNIQUE " + (name == null ? "" : name + " ") + "to " + table + ": its index is built while reads and writes wait",
                    Evidence.NONE);
        } else if (Tok.words(t, i, "PRIMARY", "KEY") && !usingIndex && !fresh) {
            c.emit(RuleId.RW114, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                    "adds PRIMARY KEY to " + table + ": its index is built while reads and writes wait", Evidence.NONE);
        } else if (Tok.word(t, i, "EXCLUDE") && !fresh) {
            c.emit(RuleId.RW115, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                    "adds an exclusion constraint to " + table + ": its index is built while reads and writes wait", Evidence.NONE);
        }
    }

    /** For {@code ( col IS NOT NULL )} at {@code open}, the column; else null. */
    static String notNullColumn(List<Token> t, int open) {
        if (open + 5 < t.size() + 1 && open < t.size() && t.get(open).is("(")) {
            Tok.Name n = Tok.name(t, open + 1);
            if (n != null && Tok.words(t, n.next(), "IS", "NOT", "NULL") && n.next() + 3 < t.size() && t.get(n.next() + 3).is(")")) {
                return n.name();
            }
        }
        return null;
    }
}
