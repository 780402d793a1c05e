package dev.runway.lint.internal.rules;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.ScanResult;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Mode;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.source.SqlFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the static rules over migrations in version order. DDL inside {@code DO} bodies and
 * {@code EXECUTE '...'} strings is re-scanned and checked like top-level SQL (the dynamic trace then
 * confirms it). Keeps a {@link SchemaModel} across migrations so later files know what earlier ones
 * created and validated. Not thread-safe: one per run; feed migrations in order.
 */
public final class StaticAnalyzer {
    private static final List<Rule> RULES = List.of(new TransactionRules(), new IndexRules(), new AlterTableRules(), new TableRules());
    /** Words that start a SQL command inside a PL/pgSQL body. */
    private static final Set<String> COMMANDS = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "UPDATE", "DELETE", "INSERT", "REINDEX",
            "REFRESH", "CLUSTER", "VACUUM", "LOCK", "EXECUTE", "MERGE");
    private final LintConfig cfg;
    private final SchemaModel model = new SchemaModel();
    /** Tables, materialized views and indexes created by the migrations analyzed so far (lower case, unqualified). */
    private final Set<String> created = new java.util.HashSet<>();

    public StaticAnalyzer(LintConfig cfg) {
        this.cfg = cfg;
    }

    /** Feeds an earlier migration only to learn the schema (no candidates). */
    public void learn(CheckedMigration m) {
        analyze(m);
    }

    /** Candidates for the up section of {@code m}, in statement order. */
    public List<Candidate> analyze(CheckedMigration m) {
        if (cfg.mode() == Mode.RUNWAY && m.units().isEmpty()) {
            m = SqlFiles.forRunway(m); // the loader's units and errors, for a file read as plain SQL
        }
        Ctx c = new Ctx(m, cfg, model);
        for (int i = 0; i < m.up().size(); i++) {
            c.stmtIndex = i;
            SqlStatement s = m.up().get(i);
            run(new Stmt(s, s.tokens(), s.line(), false), c, m.file(), 0);
        }
        if (cfg.mode() == Mode.PLAIN && c.inTx) {
            c.stmtIndex = Math.max(0, m.up().size() - 1);
            c.emit(RuleId.RW303, c.beginLine, null, null, "the transaction opened at line " + c.beginLine + " is never committed",
                    Candidate.Evidence.NONE);
        }
        for (java.util.Iterator<Candidate> it = c.out.iterator(); it.hasNext(); ) {
            Candidate k = it.next();
            if (k.rule() == RuleId.RW204 && renamedWithView(k, c)) {
                it.remove();
            }
        }
        created.addAll(c.created);
        return c.out;
    }

    /** Tables, materialized views and indexes created by the migrations fed so far (learned or analyzed). */
    public Set<String> created() {
        return java.util.Collections.unmodifiableSet(created);
    }

    private static boolean renamedWithView(Candidate k, Ctx c) {
        return k.table() != null && c.views.contains(k.table());
    }

    private void run(Stmt s, Ctx c, String file, int depth) {
        if (s.tokens().isEmpty()) {
            return;
        }
        String kw = s.keyword();
        if (kw.equals("DO")) {
            for (Token k : s.tokens()) {
                if (k.type() == TokenType.DOLLAR_STRING || k.type() == TokenType.STRING) {
                    body(k, c, file, depth);
                }
            }
            return;
        }
        if (s.tokens().get(0).isWord("EXECUTE")) {
            for (Token k : s.tokens()) {
                if (k.type() == TokenType.STRING || k.type() == TokenType.DOLLAR_STRING) {
                    body(k, c, file, depth);
                    return;
                }
            }
            return;
        }
        for (Rule r : RULES) {
            r.check(s, c);
        }
    }

    /** Re-scans a DO body or EXECUTE string and checks the SQL commands in it. */
    private void body(Token k, Ctx c, String file, int depth) {
        if (depth > 3) {
            return;
        }
        String text = unquote(k);
        ScanResult r;
        try {
            r = SqlScanner.scan(text, file, k.line());
        } catch (RunwayException e) {
            return; // PL/pgSQL the SQL scanner cannot split: the trace still sees what it does
        }
        for (SqlStatement inner : r.statements()) {
            List<Token> t = inner.tokens();
            int depthParen = 0;
            for (int i = 0; i < t.size(); i++) {
                Token w = t.get(i);
                if (w.is("(")) {
                    depthParen++;
                } else if (w.is(")")) {
                    depthParen--;
                } else if (depthParen == 0 && w.type() == TokenType.WORD && COMMANDS.contains(w.text().toUpperCase(Locale.ROOT))
                        && !(i > 0 && t.get(i - 1).isWord("END"))) {
                    List<Token> sub = t.subList(i, t.size());
                    SqlStatement s = new SqlStatement(inner.sql(), w.line(), inner.endLine(), sub);
                    run(new Stmt(s, sub, w.line(), true), c, file, depth + 1);
                    break;
                }
            }
        }
    }

    private static String unquote(Token k) {
        String s = k.text();
        if (k.type() == TokenType.DOLLAR_STRING) {
            int open = s.indexOf('$', 1) + 1;
            int close = s.lastIndexOf('$', s.length() - 2);
            return open <= close ? s.substring(open, close) : "";
        }
        int q = s.indexOf('\'');
        return s.substring(q + 1, s.length() - 1).replace("''", "'");
    }
}
