package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.rules.Candidate.Evidence;
import java.util.List;

/**
 * ALTER TABLE: constraints (RW104-RW106, RW113-RW115), columns (RW107-RW112), rewrites (RW116),
 * DETACH PARTITION (RW119, RW103) and compatibility (RW201, RW203, RW204). Also keeps
 * {@link SchemaModel} and the transaction's lock set up to date.
 */
final class AlterTableRules implements Rule {
    @Override
    public void check(Stmt s, Ctx c) {
        if (!s.keyword().equals("ALTER TABLE")) {
            return;
        }
        List<Token> t = s.tokens();
        int i = Tok.skipIfExistsOnly(t, 2);
        if (Tok.word(t, i, "ALL")) {
            return; // ALTER TABLE ALL IN TABLESPACE
        }
        Tok.Name n = Tok.name(t, i);
        if (n == null) {
            return;
        }
        String table = n.name();
        i = n.next();
        if (i < t.size() && t.get(i).is("*")) {
            i++;
        }
        boolean fresh = c.isNew(table);
        if (Tok.word(t, i, "RENAME")) {
            rename(s, c, t, i, table, fresh);
            return;
        }
        if (Tok.words(t, i, "DETACH", "PARTITION")) {
            if (s.concurrently()) {
                IndexRules.inTx(s, c, "DETACH PARTITION CONCURRENTLY");
            } else if (!fresh && c.cfg.pgMajor() >= 14) {
                c.emit(RuleId.RW119, s.line(), table, "ACCESS EXCLUSIVE on " + table + " and the partition",
                        "DETACH PARTITION on " + table + " without CONCURRENTLY blocks all access to the partitioned table", Evidence.NONE);
            }
            c.locked(table);
            return;
        }
        boolean blocking = false;
        for (int[] r : Tok.split(t, i, t.size())) {
            blocking |= action(s, c, t, r[0], r[1], table, fresh);
        }
        if (blocking) {
            c.locked(table);
        }
    }

    /** Handles one action; returns true when it takes a lock that blocks writes. */
    private static boolean action(Stmt s, Ctx c, List<Token> t, int a, int end, String table, boolean fresh) {
        if (Tok.word(t, a, "ADD")) {
            int i = a + 1;
            if (Tok.word(t, i, "CONSTRAINT") || Tok.word(t, i, "CHECK") || Tok.word(t, i, "FOREIGN") || Tok.word(t, i, "UNIQUE")
                    || Tok.word(t, i, "PRIMARY") || Tok.word(t, i, "EXCLUDE")) {
                Constraints.add(s, c, t, i, end, table, fresh);
                return true;
            }
            if (Tok.word(t, i, "COLUMN")) {
                i++;
            }
            i = Tok.skipIfExistsOnly(t, i);
            ColumnDef d = ColumnDef.parse(t, i, end);
            if (d != null) {
                Columns.add(s, c, d, table, fresh);
            }
            return true;
        }
        if (Tok.word(t, a, "DROP")) {
            int i = a + 1;
            if (Tok.word(t, i, "CONSTRAINT")) {
                return true;
            }
            if (Tok.word(t, i, "COLUMN")) {
                i++;
            }
            i = Tok.skipIfExistsOnly(t, i);
            Tok.Name col = Tok.name(t, i);
            if (col != null && !fresh) {
                c.emit(RuleId.RW201, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                        "drops column " + table + "." + col.name() + ", which the release still running may read or write", Evidence.NONE);
            }
            return true;
        }
        if (Tok.word(t, a, "ALTER")) {
            int i = a + 1;
            if (Tok.word(t, i, "COLUMN")) {
                i++;
            }
            Tok.Name col = Tok.name(t, i);
            if (col == null) {
                return true;
            }
            return Columns.alter(s, c, t, col.next(), end, table, col.name(), fresh);
        }
        if (Tok.words(t, a, "VALIDATE", "CONSTRAINT")) {
            Tok.Name cn = Tok.name(t, a + 2);
            String name = cn == null ? "?" : cn.name();
            if (c.inTx && (c.notValidInTx.containsKey(name) || c.lockedInTx.contains(table))) {
                c.emit(RuleId.RW106, s.line(), table, "ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE on " + table + " held since an earlier statement",
                        "VALIDATE CONSTRAINT " + name + " runs in the same transaction that already locked " + table
                                + ", so its scan runs under that lock", Evidence.NONE);
            }
            c.model.validated(name);
            return false;
        }
        if (Tok.word(t, a, "SET")) {
            if (Tok.word(t, a + 1, "LOGGED") || Tok.word(t, a + 1, "UNLOGGED") || Tok.words(t, a + 1, "ACCESS", "METHOD")
                    || Tok.word(t, a + 1, "TABLESPACE")) {
                if (!fresh) {
                    c.emit(RuleId.RW116, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                            "SET " + Tok.text(t, a + 1, Math.min(end, a + 3)).toUpperCase(java.util.Locale.ROOT) + " rewrites " + table,
                            Evidence.NONE);
                }
                return true;
            }
            return !(Tok.word(t, a + 1, "STATISTICS") || a + 1 < end && t.get(a + 1).is("(") || Tok.words(t, a + 1, "WITHOUT", "CLUSTER"));
        }
        return !(Tok.word(t, a, "RESET") || Tok.words(t, a, "CLUSTER", "ON") || Tok.word(t, a, "OWNER")
                || Tok.word(t, a, "ATTACH"));
    }

    private static void rename(Stmt s, Ctx c, List<Token> t, int i, String table, boolean fresh) {
        c.locked(table);
        if (Tok.words(t, i + 1, "TO")) {
            Tok.Name to = Tok.name(t, i + 2);
            if (!fresh) {
                c.emit(RuleId.RW204, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                        "renames table " + table + (to == null ? "" : " to " + to.name()) + "; the release still running uses the old name",
                        Evidence.NONE);
            }
            if (to != null) {
                c.model.table(to.name());
                if (fresh) {
                    c.created.add(to.name());
                }
            }
            return;
        }
        if (Tok.word(t, i + 1, "CONSTRAINT")) {
            return;
        }
        int j = Tok.word(t, i + 1, "COLUMN") ? i + 2 : i + 1;
        Tok.Name from = Tok.name(t, j);
        Tok.Name to = from == null ? null : Tok.name(t, from.next() + 1);
        if (from != null && !fresh) {
            c.emit(RuleId.RW203, s.line(), table, "ACCESS EXCLUSIVE on " + table,
                    "renames column " + table + "." + from.name() + (to == null ? "" : " to " + to.name())
                            + "; the release still running uses the old name", Evidence.NONE);
        }
        if (from != null && to != null) {
            c.model.column(table, to.name(), c.model.type(table, from.name()));
        }
    }
}
