package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.rules.Candidate.Evidence;
import java.util.List;

/** ADD COLUMN (RW104, RW105, RW108-RW111, RW113, RW114) and ALTER COLUMN (RW107, RW112). */
final class Columns {
    private Columns() {
    }

    static void add(Stmt s, Ctx c, ColumnDef d, String table, boolean fresh) {
        String prev = c.model.type(table, d.name());
        c.model.column(table, d.name(), d.type());
        if (fresh || prev != null) {
            return;
        }
        String col = table + "." + d.name();
        String ae = "ACCESS EXCLUSIVE on " + table;
        if (d.serial() || d.identity()) {
            c.emit(RuleId.RW111, s.line(), table, ae, "adds " + (d.serial() ? d.type() : "identity") + " column " + col
                    + ": every existing row is given a value, rewriting " + table, Evidence.REWRITE);
            return;
        }
        if (d.generatedStored()) {
            c.emit(RuleId.RW110, s.line(), table, ae, "adds stored generated column " + col + ", rewriting " + table, Evidence.REWRITE);
            return;
        }
        boolean hasDefault = d.defaultExpr() != null && !d.defaultNull();
        if (hasDefault) {
            int v = c.cfg.pgMajor() < 11 ? 1 : Types.volatility(d.defaultTokens());
            if (v != 0) {
                c.emit(RuleId.RW109, s.line(), table, ae, "adds " + col + " with default " + d.defaultExpr()
                        + (c.cfg.pgMajor() < 11 ? " (before PostgreSQL 11 every default rewrites)" : ", computed per row")
                        + ", rewriting " + table, Evidence.REWRITE);
            }
        }
        if (d.primaryKey()) {
            c.emit(RuleId.RW114, s.line(), table, ae, "adds primary key column " + col + ": its index is built while reads and writes wait",
                    Evidence.NONE);
        } else if (d.notNull() && !hasDefault) {
            c.emit(RuleId.RW108, s.line(), table, ae, "adds " + col + " NOT NULL without a default: it fails on a non-empty table"
                    + " and the release still running inserts rows without it", Evidence.NONE);
        }
        if (d.unique() && !d.primaryKey()) {
            c.emit(RuleId.RW113, s.line(), table, ae, "adds UNIQUE column " + col + ": its index is built while reads and writes wait",
                    Evidence.NONE);
        }
        if (d.references() && hasDefault) {
            c.emit(RuleId.RW104, s.line(), table, "SHARE ROW EXCLUSIVE on " + table, "adds " + col
                    + " REFERENCES with a non-NULL default: every row is checked against the referenced table", Evidence.SCAN);
        }
        if (d.check()) {
            c.emit(RuleId.RW105, s.line(), table, ae, "adds " + col + " with a CHECK: the table is scanned while reads and writes wait",
                    Evidence.SCAN);
        }
    }

    /** ALTER COLUMN col ...; returns true when it takes a lock that blocks writes. */
    static boolean alter(Stmt s, Ctx c, List<Token> t, int i, int end, String table, String col, boolean fresh) {
        String ae = "ACCESS EXCLUSIVE on " + table;
        if (Tok.word(t, i, "TYPE") || Tok.words(t, i, "SET", "DATA", "TYPE")) {
            int from = Tok.word(t, i, "TYPE") ? i + 1 : i + 3;
            int to = from;
            while (to < end && !t.get(to).isWord("USING") && !t.get(to).isWord("COLLATE")) {
                to = t.get(to).is("(") ? Tok.skipParens(t, to) : to + 1;
            }
            String newType = ColumnDef.normalizeType(Tok.text(t, from, to));
            String old = c.model.type(table, col);
            boolean using = to < end && t.get(to).isWord("USING");
            c.model.column(table, col, newType);
            if (!fresh && (using || !Types.noRewrite(old, newType))) {
                c.emit(RuleId.RW112, s.line(), table, ae, "changes " + table + "." + col + " to " + newType
                        + (old == null ? "" : " from " + old) + ", which rewrites " + table + " and its indexes", Evidence.REWRITE);
            }
            return true;
        }
        if (Tok.words(t, i, "SET", "NOT", "NULL")) {
            boolean cheap = c.cfg.pgMajor() >= 12 && c.model.hasValidatedNotNullCheck(table, col);
            if (!fresh && !cheap) {
                c.emit(RuleId.RW107, s.line(), table, ae, "SET NOT NULL on " + table + "." + col
                        + " scans the whole table while reads and writes wait (no validated CHECK (" + col + " IS NOT NULL) was found)",
                        Evidence.SCAN);
            }
            return true;
        }
        return !(Tok.words(t, i, "SET", "STATISTICS") || Tok.word(t, i, "SET") && i + 1 < end && t.get(i + 1).is("(")
                || Tok.word(t, i, "RESET"));
    }
}
