package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import java.util.List;

/** Which statements take a lock that blocks ordinary reads or writes on an existing table. */
final class Locks {
    private Locks() {
    }

    /**
     * The table a statement blocks traffic on: its name, "" when the table is not named (DROP INDEX,
     * REINDEX INDEX), or null when the statement does not block traffic (or only touches new tables).
     */
    static String blockingTarget(Stmt s, Ctx c) {
        List<Token> t = s.tokens();
        String kw = s.keyword();
        switch (kw) {
            case "ALTER TABLE": {
                int i = Tok.skipIfExistsOnly(t, 2);
                Tok.Name n = Tok.name(t, i);
                if (n == null || c.isNew(n.name()) || Tok.words(t, n.next(), "VALIDATE", "CONSTRAINT")
                        || Tok.words(t, n.next(), "ALTER") && Tok.has(t, n.next(), t.size(), "SET", "STATISTICS")
                        || s.concurrently()) {
                    return null;
                }
                return n.name();
            }
            case "CREATE INDEX":
            case "CREATE UNIQUE INDEX": {
                int on = Tok.find(t, 0, t.size(), "ON");
                Tok.Name n = on < 0 ? null : Tok.name(t, Tok.word(t, on + 1, "ONLY") ? on + 2 : on + 1);
                return s.concurrently() || n == null || c.isNew(n.name()) ? null : n.name();
            }
            case "DROP TABLE":
            case "TRUNCATE": {
                int i = Tok.skipIfExistsOnly(t, kw.equals("TRUNCATE") ? (Tok.word(t, 1, "TABLE") ? 2 : 1) : 2);
                Tok.Name n = Tok.name(t, i);
                return n == null || c.isNew(n.name()) ? null : n.name();
            }
            case "DROP INDEX":
            case "REINDEX":
            case "REFRESH MATERIALIZED VIEW":
                return s.concurrently() ? null : "";
            case "CLUSTER":
            case "LOCK":
            case "CREATE TRIGGER":
                return "";
            case "VACUUM":
                return Tok.word(t, 1, "FULL") ? "" : null;
            default:
                return null;
        }
    }
}
