package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import dev.runway.lint.RuleId;
import java.util.List;

/** RW101 index build, RW102 drop index, RW117 REINDEX, RW103 CONCURRENTLY in a transaction. */
final class IndexRules implements Rule {
    @Override
    public void check(Stmt s, Ctx c) {
        String kw = s.keyword();
        List<Token> t = s.tokens();
        if (kw.equals("CREATE INDEX") || kw.equals("CREATE UNIQUE INDEX")) {
            createIndex(s, c, t);
        } else if (kw.equals("DROP INDEX")) {
            if (s.concurrently()) {
                inTx(s, c, "DROP INDEX CONCURRENTLY");
            } else if (!allNew(c, t)) {
                c.emit(RuleId.RW102, s.line(), null, "ACCESS EXCLUSIVE on the index's table",
                        "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table", Candidate.Evidence.NONE);
            }
        } else if (kw.equals("REINDEX")) {
            reindex(s, c, t);
        }
    }

    private static void createIndex(Stmt s, Ctx c, List<Token> t) {
        int on = Tok.find(t, 0, t.size(), "ON");
        if (on < 0) {
            return;
        }
        int i = on + 1;
        boolean only = Tok.word(t, i, "ONLY");
        Tok.Name n = Tok.name(t, only ? i + 1 : i);
        String table = n == null ? null : n.name();
        if (s.concurrently()) {
            inTx(s, c, "CREATE INDEX CONCURRENTLY");
            return;
        }
        // ON ONLY a partitioned parent creates an invalid catalog entry and builds nothing.
        if (only || c.isNew(table)) {
            return;
        }
        c.emit(RuleId.RW101, s.line(), table, "SHARE on " + table,
                "CREATE INDEX on " + table + " without CONCURRENTLY blocks writes for the whole build",
                Candidate.Evidence.SHARE_LOCK);
        c.locked(table);
    }

    private static void reindex(Stmt s, Ctx c, List<Token> t) {
        if (s.concurrently()) {
            inTx(s, c, "REINDEX CONCURRENTLY");
            return;
        }
        int i = 1;
        if (i < t.size() && t.get(i).is("(")) {
            i = Tok.skipParens(t, i);
        }
        String kind = i < t.size() ? t.get(i).text().toUpperCase(java.util.Locale.ROOT) : "";
        Tok.Name n = Tok.name(t, i + 1);
        String obj = n == null ? null : n.name();
        if (obj != null && c.isNew(obj)) {
            return;
        }
        if (c.cfg.pgMajor() < 12) {
            return; // no online alternative before PostgreSQL 12
        }
        String table = kind.equals("TABLE") ? obj : null;
        c.emit(RuleId.RW117, s.line(), table, table == null ? "SHARE on the table, ACCESS EXCLUSIVE on the index" : "SHARE on " + table,
                "REINDEX " + kind.toLowerCase(java.util.Locale.ROOT) + " " + (obj == null ? "" : obj) + " without CONCURRENTLY blocks writes during the rebuild",
                Candidate.Evidence.NONE);
    }

    private static boolean allNew(Ctx c, List<Token> t) {
        int i = Tok.skipIfExistsOnly(t, 2);
        if (Tok.word(t, i, "CONCURRENTLY")) {
            i++;
        }
        i = Tok.skipIfExistsOnly(t, i);
        boolean any = false;
        for (int[] r : Tok.split(t, i, t.size())) {
            Tok.Name n = Tok.name(t, r[0]);
            if (n == null || !c.isNew(n.name())) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** RW103: a CONCURRENTLY statement that will run inside a transaction block. */
    static void inTx(Stmt s, Ctx c, String what) {
        if (c.inTx || s.inner()) {
            String why = s.inner() ? "a DO block or function always runs inside a transaction" : c.runway()
                    ? "this file also has transactional statements, so Runway runs it in one transaction"
                    : "the file opened a transaction at line " + c.beginLine;
            c.emit(RuleId.RW103, s.line(), null, null, what + " cannot run inside a transaction block: " + why,
                    Candidate.Evidence.NONE);
        }
    }
}
