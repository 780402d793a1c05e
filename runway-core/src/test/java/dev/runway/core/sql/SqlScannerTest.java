package dev.runway.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SqlScannerTest {

    private static List<SqlStatement> split(String sql) {
        return SqlScanner.scan(sql, "t.sql").statements();
    }

    private static List<String> sqls(String sql) {
        return split(sql).stream().map(SqlStatement::sql).collect(Collectors.toList());
    }

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(sqls("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n"))
                .containsExactly("CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)");
    }

    @Test
    void namedDollarTagsWithSemicolonsInside() {
        String sql = "CREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$fn$ LANGUAGE plpgsql;\nSELECT f();";
        List<SqlStatement> s = split(sql);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).sql()).endsWith("$fn$ LANGUAGE plpgsql");
        assertThat(s.get(0).line()).isEqualTo(1);
        assertThat(s.get(0).endLine()).isEqualTo(6);
        assertThat(s.get(0).keyword()).isEqualTo("CREATE FUNCTION");
        assertThat(s.get(0).tokens()).extracting(Token::type).contains(TokenType.DOLLAR_STRING);
        assertThat(s.get(1).line()).isEqualTo(7);
    }

    @Test
    void nestedDifferentDollarTags() {
        String sql = "DO $outer$\nBEGIN\n  EXECUTE $inner$ SELECT ';'; $inner$;\n  EXECUTE $$ x; $$;\nEND\n$outer$;\nSELECT 1;";
        List<SqlStatement> s = split(sql);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).hasSize(2);
        assertThat(s.get(0).tokens().get(1).text()).startsWith("$outer$").endsWith("END\n$outer$");
        assertThat(s.get(1).line()).isEqualTo(7);
    }

    @Test
    void paramsAreNotDollarQuotes() {
        List<SqlStatement> s = split("PREPARE p(int, int) AS SELECT $1 + $2;\nSELECT $a$;$a$;");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.PARAM)
                .extracting(Token::text).containsExactly("$1", "$2");
        assertThat(s.get(1).tokens().get(1)).isEqualTo(new Token(TokenType.DOLLAR_STRING, "$a$;$a$", 2, 46));
    }

    @Test
    void dollarInsideIdentifierIsPartOfIt() {
        List<SqlStatement> s = split("SELECT a$b$c FROM t;");
        assertThat(s.get(0).tokens()).extracting(Token::text).containsExactly("SELECT", "a$b$c", "FROM", "t");
    }

    @Test
    void doBlocksAndPlpgsqlFunctions() {
        String sql = "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1) THEN\n    CREATE TABLE x();\n  END IF;\nEND $$;\n"
                + "CREATE OR REPLACE FUNCTION g() RETURNS trigger AS $$\nBEGIN NEW.a := 1; RETURN NEW; END;\n$$ LANGUAGE plpgsql;\n";
        List<SqlStatement> s = split(sql);
        assertThat(s).extracting(SqlStatement::keyword).containsExactly("DO", "CREATE OR REPLACE FUNCTION");
        assertThat(s.get(0).endLine()).isEqualTo(6);
        assertThat(s.get(1).line()).isEqualTo(7);
        assertThat(s.get(1).endLine()).isEqualTo(9);
    }

    @Test
    void escapeStringsWithBackslashesAndNonAscii() {
        List<SqlStatement> s = split("INSERT INTO t VALUES (E'it\\'s; \\\\', e'caf\u00e9 \u2603 ;');\nSELECT 1;");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.STRING)
                .extracting(Token::text).containsExactly("E'it\\'s; \\\\'", "e'caf\u00e9 \u2603 ;'");
    }

    @Test
    void standardStringsDoubleQuotesAndKeepBackslash() {
        // With standard_conforming_strings a backslash is an ordinary character.
        List<SqlStatement> s = split("SELECT 'it''s; fine', 'c:\\';\nSELECT 2;");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.STRING)
                .extracting(Token::text).containsExactly("'it''s; fine'", "'c:\\'");
    }

    @Test
    void unicodeAndBitAndNationalStrings() {
        List<SqlStatement> s = split("SELECT U&'d\\0061t;a' UESCAPE '!', B'101', X'1F', N'x;', U&\"d;\"\"x\";");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).tokens()).extracting(Token::text)
                .contains("U&'d\\0061t;a'", "B'101'", "X'1F'", "N'x;'", "U&\"d;\"\"x\"");
    }

    @Test
    void quotedIdentifiersWithDoubledQuotesAndSemicolons() {
        List<SqlStatement> s = split("CREATE TABLE \"we\"\"ird;name\" (\"a;b\" int);\nSELECT 1");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.QUOTED_IDENT)
                .extracting(Token::text).containsExactly("\"we\"\"ird;name\"", "\"a;b\"");
    }

    @Test
    void semicolonsInLineComments() {
        ScanResult r = SqlScanner.scan("SELECT 1 -- not here; nor here\n, 2;\n  -- runway:down ;\n", "t.sql");
        assertThat(r.statements()).extracting(SqlStatement::sql).containsExactly("SELECT 1 -- not here; nor here\n, 2");
        assertThat(r.comments()).containsExactly(
                new LineComment("not here; nor here", 1, 9, false),
                new LineComment("runway:down ;", 3, 38, true));
    }

    @Test
    void nestedBlockComments() {
        List<SqlStatement> s = split("/* a /* b */ ; */ SELECT /* ; */ 1;\n/*\n;\n*/SELECT 2;");
        assertThat(s).extracting(SqlStatement::sql).containsExactly("SELECT /* ; */ 1", "SELECT 2");
        assertThat(s.get(1).line()).isEqualTo(4);
    }

    @Test
    void noTrailingNewlineOrFinalSemicolon() {
        assertThat(sqls("SELECT 1;\nSELECT 2")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(sqls("SELECT 1 -- trailing comment")).containsExactly("SELECT 1");
        assertThat(sqls("SELECT 1\n\n  ")).containsExactly("SELECT 1");
    }

    @Test
    void emptyAndCommentOnlyScriptsHaveNoStatements() {
        assertThat(split("")).isEmpty();
        assertThat(split("\n\n  \t\n")).isEmpty();
        assertThat(split(";;\n;")).isEmpty();
        ScanResult r = SqlScanner.scan("-- just a note\n/* and a block */\n", "t.sql");
        assertThat(r.statements()).isEmpty();
        assertThat(r.comments()).extracting(LineComment::text).containsExactly("just a note");
    }

    @Test
    void beginAndCommitInsideAFileAreTransactionControl() {
        List<SqlStatement> s = split("BEGIN;\nCREATE TABLE a();\nCOMMIT;\nSTART TRANSACTION;\nEND;\nROLLBACK;\nABORT;\n"
                + "SAVEPOINT s;\nRELEASE SAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nPREPARE TRANSACTION 'x';\nCOMMIT PREPARED 'x';\n"
                + "ROLLBACK PREPARED 'x';\nPREPARE q AS SELECT 1;");
        assertThat(s).extracting(SqlStatement::transactionControl)
                .containsExactly(true, false, true, true, true, true, true, true, true, true, true, true, true, false);
        assertThat(s).extracting(SqlStatement::keyword).containsExactly("BEGIN", "CREATE TABLE", "COMMIT",
                "START TRANSACTION", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "ROLLBACK TO",
                "PREPARE TRANSACTION", "COMMIT PREPARED", "ROLLBACK PREPARED", "PREPARE");
    }

    @Test
    void commitInsideDoBlockIsNotTransactionControl() {
        List<SqlStatement> s = split("DO $$ BEGIN COMMIT; END $$;");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).transactionControl()).isFalse();
    }

    @Test
    void jsonbQuestionOperators() {
        List<SqlStatement> s = split("SELECT d ? 'a', d ?| array['a'], d ?& array['b'], d @> '{}', d->>'k', d #>> '{a}' FROM t;");
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.OPERATOR)
                .extracting(Token::text).containsExactly("?", "?|", "?&", "@>", "->>", "#>>");
    }

    @Test
    void operatorsFollowTheServerRules() {
        List<SqlStatement> s = split("SELECT 1=-1, a<>b, x::int, a := 1, f(a => 1), 2*-3, 1 --c\n+1;");
        assertThat(s.get(0).tokens()).extracting(Token::text).containsExactly(
                "SELECT", "1", "=", "-", "1", ",", "a", "<>", "b", ",", "x", "::", "int", ",", "a", ":=", "1", ",",
                "f", "(", "a", "=>", "1", ")", ",", "2", "*", "-", "3", ",", "1", "+", "1");
        assertThat(split("SELECT a*/*x*/b;").get(0).tokens()).extracting(Token::text)
                .containsExactly("SELECT", "a", "*", "b");
    }

    @Test
    void numbersAndPunctuation() {
        List<SqlStatement> s = split("SELECT 1.5e-3, .5, 0x1F, 1_000, a[1:2], t.c, 1::text;");
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.NUMBER)
                .extracting(Token::text).containsExactly("1.5e-3", ".5", "0x1F", "1_000", "1", "2", "1");
        assertThat(s.get(0).tokens()).filteredOn(t -> t.type() == TokenType.PUNCT)
                .extracting(Token::text).contains("[", ":", "]", ".", "::");
    }

    @Test
    void setStatements() {
        List<SqlStatement> s = split("SET lock_timeout = '1s';\nSET LOCAL statement_timeout TO 0;\nSET SESSION search_path = a;\n"
                + "SET ROLE admin;\nSET SESSION AUTHORIZATION bob;\nRESET ALL;\nSET CONSTRAINTS ALL DEFERRED;\n"
                + "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nDISCARD PLANS;\nLISTEN ch;\nSET TIME ZONE 'UTC';\n"
                + "SELECT set_config('a.b', 'x', false);\nSELECT set_config('a.b', 'x', true);\nSET LOCAL ROLE r;");
        assertThat(s).extracting(SqlStatement::keyword).containsExactly("SET", "SET", "SET", "SET ROLE",
                "SET SESSION AUTHORIZATION", "RESET", "SET CONSTRAINTS", "SET TRANSACTION", "DISCARD", "LISTEN",
                "SET", "SELECT", "SELECT", "SET ROLE");
        assertThat(s).extracting(SqlStatement::sessionSetting).containsExactly(true, false, true, true, true, true,
                false, false, true, true, true, true, false, false);
        assertThat(s).noneMatch(SqlStatement::nonTransactional);
    }

    @Test
    void createRuleBodyInParenthesesIsOneStatement() {
        String sql = "CREATE RULE r AS ON INSERT TO v DO ALSO (\n  INSERT INTO a VALUES (NEW.x);\n  NOTIFY v;\n);\nSELECT 1;";
        List<SqlStatement> s = split(sql);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).keyword()).isEqualTo("CREATE RULE");
        assertThat(s.get(0).endLine()).isEqualTo(4);
        assertThat(s.get(0).tokens()).filteredOn(t -> t.text().equals(";")).hasSize(2);
        assertThat(s.get(1).line()).isEqualTo(5);
    }

    @Test
    void unbalancedCloseParenDoesNotGoNegative() {
        assertThat(sqls("SELECT 1);\nSELECT 2;")).containsExactly("SELECT 1)", "SELECT 2");
    }

    @Test
    void sqlStandardFunctionBodies() {
        String sql = "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n  SELECT 2;\nEND;\n"
                + "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nSELECT 3;";
        List<SqlStatement> s = split(sql);
        assertThat(s).extracting(SqlStatement::keyword)
                .containsExactly("CREATE OR REPLACE FUNCTION", "CREATE PROCEDURE", "SELECT");
        assertThat(s.get(0).endLine()).isEqualTo(5);
    }

    @Test
    void crlfLineEndingsKeepLineNumbers() {
        String sql = "-- runway:up\r\nCREATE TABLE a (\r\n  id int\r\n);\r\n\r\nDO $$\r\nBEGIN\r\nEND $$;\r\n-- c\r\nSELECT 'x\r\ny';\r\n";
        ScanResult r = SqlScanner.scan(sql, "t.sql");
        assertThat(r.statements()).extracting(SqlStatement::line).containsExactly(2, 6, 10);
        assertThat(r.statements()).extracting(SqlStatement::endLine).containsExactly(4, 8, 11);
        assertThat(r.comments()).extracting(LineComment::text).containsExactly("runway:up", "c");
        assertThat(r.comments()).extracting(LineComment::line).containsExactly(1, 9);
        assertThat(SqlScanner.scan("SELECT 1;\rSELECT 2;", "t.sql").statements())
                .extracting(SqlStatement::line).containsExactly(1, 2);
    }

    @Test
    void byteOrderMarkIsIgnored() {
        ScanResult r = SqlScanner.scan("\uFEFF-- runway:up\nSELECT 1;", "t.sql");
        assertThat(r.comments()).containsExactly(new LineComment("runway:up", 1, 1, true));
        assertThat(r.statements()).extracting(SqlStatement::sql).containsExactly("SELECT 1");
        assertThat(r.statements().get(0).keyword()).isEqualTo("SELECT");
    }

    @Test
    void firstLineOffsetsLineNumbers() {
        ScanResult r = SqlScanner.scan("\nSELECT 1;\n-- x\n", "t.sql", 10);
        assertThat(r.statements().get(0).line()).isEqualTo(11);
        assertThat(r.comments().get(0).line()).isEqualTo(12);
    }

    @Test
    void scansARegionWithOffsetsIntoTheWholeText() {
        String text = "-- runway:up\nSELECT 'a'\n-- runway:down\nSELECT $$b$$";
        int down = text.indexOf("-- runway:down");
        ScanResult up = SqlScanner.scan(text, 12, down, "t.sql", 1);
        assertThat(up.statements()).extracting(SqlStatement::sql).containsExactly("SELECT 'a'");
        assertThat(up.statements().get(0).tokens().get(0)).isEqualTo(new Token(TokenType.WORD, "SELECT", 2, 13));
        ScanResult rest = SqlScanner.scan(text, down, text.length(), "t.sql", 3);
        assertThat(rest.comments()).containsExactly(new LineComment("runway:down", 3, down, true));
        assertThat(rest.statements().get(0).tokens().get(1).offset()).isEqualTo(text.indexOf("$$b"));
        // A quote that closes only after the region's end is unterminated within the region.
        assertThatThrownBy(() -> SqlScanner.scan("SELECT 'x' ", 0, 9, "t.sql", 1))
                .hasMessageContaining("unterminated quoted string");
        assertThatThrownBy(() -> SqlScanner.scan("SELECT $$x$$", 0, 11, "t.sql", 1))
                .hasMessageContaining("unterminated dollar-quoted string $$");
    }

    @Test
    void tokensCarryLineAndOffset() {
        List<Token> t = split("SELECT\n  a,\n  \"B\"\nFROM t").get(0).tokens();
        assertThat(t).containsExactly(new Token(TokenType.WORD, "SELECT", 1, 0), new Token(TokenType.WORD, "a", 2, 9),
                new Token(TokenType.PUNCT, ",", 2, 10), new Token(TokenType.QUOTED_IDENT, "\"B\"", 3, 14),
                new Token(TokenType.WORD, "FROM", 4, 18), new Token(TokenType.WORD, "t", 4, 23));
    }

    @Test
    void markerInsideDollarBodyOrBlockCommentIsNotAComment() {
        ScanResult r = SqlScanner.scan("SELECT $$\n-- runway:down\n$$;\n/*\n-- runway:down\n*/\n", "t.sql");
        assertThat(r.comments()).isEmpty();
    }

    @Test
    void unterminatedDollarQuote() {
        assertThatThrownBy(() -> SqlScanner.scan("SELECT 1;\n\nCREATE FUNCTION f() AS $fn$\nBEGIN\n$fn;", "V1__x.sql"))
                .isInstanceOf(RunwayException.class)
                .hasMessage("V1__x.sql:3: unterminated dollar-quoted string $fn$ (opened here)")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
    }

    @Test
    void unterminatedQuotedString() {
        assertThatThrownBy(() -> SqlScanner.scan("SELECT 1;\nSELECT 'abc;\n", "a.sql"))
                .hasMessage("a.sql:2: unterminated quoted string 'abc; (opened here)");
        assertThatThrownBy(() -> SqlScanner.scan("SELECT E'abc\\'", "a.sql"))
                .hasMessageStartingWith("a.sql:1: unterminated quoted string E'abc");
    }

    @Test
    void unterminatedQuotedIdentifier() {
        assertThatThrownBy(() -> SqlScanner.scan("\n\nSELECT \"a\"\"b", "a.sql"))
                .hasMessage("a.sql:3: unterminated quoted identifier \"a\"\"b (opened here)");
    }

    @Test
    void unterminatedBlockComment() {
        assertThatThrownBy(() -> SqlScanner.scan("SELECT 1;\n/* a /* b */\nSELECT 2;", "a.sql"))
                .hasMessage("a.sql:2: unterminated block comment (opened here)");
    }

    @Test
    void concurrentlyOnlyAsAKeyword() {
        assertThat(split("CREATE INDEX CONCURRENTLY i ON t (a);").get(0).concurrently()).isTrue();
        assertThat(split("SELECT 'CONCURRENTLY', \"concurrently\" FROM t;").get(0).concurrently()).isFalse();
        assertThat(split("DO $$ BEGIN EXECUTE 'x'; END $$ /* CONCURRENTLY */;").get(0).concurrently()).isFalse();
        assertThat(split("SELECT 1 AS concurrently;").get(0).concurrently()).isFalse();
    }

    /**
     * psql 15 ({@code psql -f}, with {@code log_statement = all}) sent exactly these 14 statements
     * for this script; the first also carried the leading block comment, which we leave out.
     */
    @Test
    void splitsLikePsql() throws Exception {
        String script;
        try (java.io.InputStream in = getClass().getResourceAsStream("/sql/psql-tricky.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<SqlStatement> s = SqlScanner.scan(script, "psql-tricky.sql").statements();
        assertThat(s).extracting(SqlStatement::line).containsExactly(3, 4, 9, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25);
        assertThat(s).extracting(SqlStatement::keyword).containsExactly("SELECT", "CREATE OR REPLACE FUNCTION",
                "CREATE OR REPLACE FUNCTION", "CREATE TABLE", "CREATE TABLE", "CREATE OR REPLACE RULE", "DO", "SELECT",
                "PREPARE", "EXECUTE", "SELECT", "SELECT", "SELECT", "SELECT");
        assertThat(s.get(2).endLine()).isEqualTo(13);
        assertThat(s.get(10).sql()).isEqualTo("SELECT 1");
    }

    @Test
    void scansAThousandFilesQuickly() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append("-- step ").append(i).append('\n')
                    .append("ALTER TABLE orders ADD COLUMN c").append(i).append(" text DEFAULT 'x;y';\n")
                    .append("CREATE INDEX CONCURRENTLY IF NOT EXISTS i").append(i).append(" ON orders (c").append(i).append(");\n")
                    .append("DO $$ BEGIN\n  PERFORM 1;\nEND $$;\n");
        }
        String file = b.toString();
        for (int warm = 0; warm < 5; warm++) {
            long t0 = System.nanoTime();
            int count = 0;
            for (int i = 0; i < 1000; i++) {
                count += SqlScanner.scan(file, "f" + i + ".sql").statements().size();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(count).isEqualTo(18_000);
            System.out.println("SqlScanner: 1000 files x 30 lines in " + ms + " ms (round " + warm + ")");
        }
    }
}
