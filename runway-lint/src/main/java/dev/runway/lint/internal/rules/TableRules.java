package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.rules.Candidate.Evidence;
import java.util.List;
import java.util.Set;

/**
 * Whole-table statements: CREATE TABLE (RW301 and the new-table exemption), TRUNCATE (RW120),
 * VACUUM FULL and CLUSTER (RW116), REFRESH MATERIALIZED VIEW (RW118), DROP TABLE (RW202),
 * ALTER TYPE ... RENAME VALUE (RW205) and data changes (RW122).
 */
final class TableRules implements Rule {
    private static final Set<String> DML = Set.of("UPDATE", "DELETE", "MERGE", "INSERT", "COPY");

    @Override
    public void check(Stmt s, Ctx c) {
        String kw = s.keyword();
        List<Token> t = s.tokens();
        switch (kw) {
            case "CREATE TABLE":
            case "CREATE UNLOGGED TABLE":
                createTable(s, c, t, kw.split(" ").length);
                return;
            case "CREATE MATERIALIZED VIEW":
            case "CREATE VIEW":
            case "CREATE OR REPLACE VIEW":
                Tok.Name v = Tok.name(t, Tok.skipIfExistsOnly(t, kw.split(" ").length));
                if (v != null) {
                    (kw.endsWith("MATERIALIZED VIEW") ? c.created : c.views).add(v.name());
                }
                return;
            case "TRUNCATE":
                truncate(s, c, t);
                return;
            case "VACUUM":
                if (full(t) && !allNew(c, t, 1)) {
                    c.emit(RuleId.RW116, s.line(), null, "ACCESS EXCLUSIVE on the table", "VACUUM FULL rewrites the table while reads and writes wait",
                            Evidence.NONE);
                }
                return;
            case "CLUSTER":
                if (!allNew(c, t, 1)) {
                    c.emit(RuleId.RW116, s.line(), null, "ACCESS EXCLUSIVE on the table", "CLUSTER rewrites the table in index order while reads and writes wait",
                            Evidence.NONE);
                }
                return;
            case "REFRESH MATERIALIZED VIEW":
                Tok.Name mv = Tok.name(t, s.concurrently() ? 4 : 3);
                String name = mv == null ? null : mv.name();
                if (!s.concurrently() && !c.isNew(name)) {
                    c.emit(RuleId.RW118, s.line(), name, "ACCESS EXCLUSIVE on " + name,
                            "REFRESH MATERIALIZED VIEW " + name + " without CONCURRENTLY blocks every reader for the whole refresh", Evidence.NONE);
                }
                return;
            case "DROP TABLE":
                dropTable(s, c, t);
                return;
            case "ALTER TYPE":
                int rv = Tok.find(t, 2, t.size(), "RENAME", "VALUE");
                if (rv >= 0) {
                    Tok.Name ty = Tok.name(t, 2);
                    c.emit(RuleId.RW205, s.line(), null, null, "renames a value of enum " + (ty == null ? "?" : ty.name())
                            + " (" + Tok.text(t, rv + 2, t.size()) + "); the release still running uses the old label", Evidence.NONE);
                }
                return;
            case "CREATE TRIGGER":
            case "CREATE CONSTRAINT TRIGGER":
            case "LOCK":
                int on = Tok.find(t, 0, t.size(), kw.equals("LOCK") ? "LOCK" : "ON");
                Tok.Name tt = on < 0 ? null : Tok.name(t, Tok.skipIfExistsOnly(t, on + (Tok.word(t, on + 1, "TABLE") ? 2 : 1)));
                if (tt != null) {
                    c.locked(tt.name());
                }
                return;
            default:
                break;
        }
        if (DML.contains(kw) || kw.equals("WITH")) {
            data(s, c, t, kw);
        }
    }

    private static void createTable(Stmt s, Ctx c, List<Token> t, int words) {
        Tok.Name n = Tok.name(t, Tok.skipIfExistsOnly(t, words));
        if (n == null) {
            return;
        }
        c.created.add(n.name());
        c.model.table(n.name());
        int open = n.next();
        if (open >= t.size() || !t.get(open).is("(")) {
            return;
        }
        int close = Tok.skipParens(t, open) - 1;
        for (int[] r : Tok.split(t, open + 1, close)) {
            if (Tok.word(t, r[0], "CONSTRAINT")) {
                Tok.Name cn = Tok.name(t, r[0] + 1);
                String col = cn != null && Tok.word(t, cn.next(), "CHECK") ? Constraints.notNullColumn(t, cn.next() + 1) : null;
                if (col != null) {
                    c.model.notNullCheck(cn.name(), n.name(), col, !Tok.has(t, r[0], r[1], "NOT", "VALID"));
                }
                continue;
            }
            if (Tok.word(t, r[0], "PRIMARY") || Tok.word(t, r[0], "UNIQUE")
                    || Tok.word(t, r[0], "CHECK") || Tok.word(t, r[0], "FOREIGN") || Tok.word(t, r[0], "EXCLUDE")
                    || Tok.word(t, r[0], "LIKE")) {
                continue;
            }
            ColumnDef d = ColumnDef.parse(t, r[0], r[1]);
            if (d == null) {
                continue;
            }
            c.model.column(n.name(), d.name(), d.type());
            if (d.int32() && (d.primaryKey() || d.identity() || d.serial())) {
                c.emit(RuleId.RW301, s.line(), n.name(), null, n.name() + "." + d.name() + " is a 32-bit " + d.type()
                        + (d.primaryKey() ? " primary key" : " key") + "; it overflows at 2,147,483,647", Evidence.NONE);
            }
        }
    }

    private static void truncate(Stmt s, Ctx c, List<Token> t) {
        int i = Tok.word(t, 1, "TABLE") ? 2 : 1;
        for (int[] r : Tok.split(t, i, t.size())) {
            Tok.Name n = Tok.name(t, Tok.skipIfExistsOnly(t, r[0]));
            if (n != null && !c.isNew(n.name())) {
                c.emit(RuleId.RW120, s.line(), n.name(), "ACCESS EXCLUSIVE on " + n.name(),
                        "TRUNCATE deletes every row of " + n.name() + " and blocks all access to it", Evidence.NONE);
                c.locked(n.name());
            }
        }
    }

    private static void dropTable(Stmt s, Ctx c, List<Token> t) {
        int i = Tok.skipIfExistsOnly(t, 2);
        for (int[] r : Tok.split(t, i, t.size())) {
            Tok.Name n = Tok.name(t, r[0]);
            if (n == null) {
                continue;
            }
            if (!c.isNew(n.name())) {
                c.emit(RuleId.RW202, s.line(), n.name(), "ACCESS EXCLUSIVE on " + n.name(),
                        "drops table " + n.name() + ", which the release still running may query", Evidence.NONE);
            }
            c.model.dropTable(n.name());
        }
    }

    private static void data(Stmt s, Ctx c, List<Token> t, String kw) {
        String table = dmlTarget(t, kw);
        if (table == null || c.isNew(table)) {
            return;
        }
        if (kw.equals("INSERT") && !Tok.has(t, 0, t.size(), "SELECT")) {
            return; // INSERT ... VALUES: seed rows, bounded by the file itself
        }
        c.emit(RuleId.RW122, s.line(), table, "ROW EXCLUSIVE on " + table + " and row locks until commit",
                kw + " on " + table + " in a schema migration: every touched row stays locked for the whole migration", Evidence.NONE);
    }

    private static String dmlTarget(List<Token> t, String kw) {
        int i;
        switch (kw) {
            case "UPDATE":
                i = Tok.word(t, 1, "ONLY") ? 2 : 1;
                break;
            case "DELETE":
            case "INSERT":
            case "MERGE":
                i = Tok.find(t, 0, t.size(), kw.equals("DELETE") ? "FROM" : "INTO");
                i = i < 0 ? -1 : (Tok.word(t, i + 1, "ONLY") ? i + 2 : i + 1);
                break;
            case "COPY":
                i = 1;
                break;
            default:
                // WITH ... UPDATE/DELETE/INSERT: look for the data-changing verb at depth 0.
                for (String v : new String[] {"UPDATE", "DELETE", "INSERT"}) {
                    int at = Tok.find(t, 0, t.size(), v);
                    if (at >= 0) {
                        return dmlTarget(t.subList(at, t.size()), v);
                    }
                }
                return null;
        }
        Tok.Name n = i < 0 ? null : Tok.name(t, i);
        return n == null ? null : n.name();
    }

    private static boolean full(List<Token> t) {
        if (Tok.word(t, 1, "FULL")) {
            return true;
        }
        if (t.size() > 1 && t.get(1).is("(")) {
            int end = Tok.skipParens(t, 1);
            for (int i = 2; i < end; i++) {
                if (t.get(i).isWord("FULL") && !(Tok.word(t, i + 1, "false") || Tok.word(t, i + 1, "off"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when every table named after position {@code from} (skipping options) was created in this migration. */
    private static boolean allNew(Ctx c, List<Token> t, int from) {
        int i = from;
        while (i < t.size() && (t.get(i).is("(") || Tok.word(t, i, "FULL") || Tok.word(t, i, "VERBOSE") || Tok.word(t, i, "ANALYZE")
                || Tok.word(t, i, "FREEZE"))) {
            i = t.get(i).is("(") ? Tok.skipParens(t, i) : i + 1;
        }
        Tok.Name n = Tok.name(t, i);
        return n != null && c.isNew(n.name());
    }
}
