package dev.runway.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Streaming yields exactly what scanning the whole text yields, however the text is cut into chunks. */
class SqlStreamTest {
    static final String TRICKY = "-- runway:lock-timeout 3s\n-- runway:up\nCREATE TABLE t (id int, s text); -- trailing\n"
            + "INSERT INTO t VALUES (1, 'a;b'), (2, E'it\\'s; fine'), (3, $$x; $y$ ; $$);\n"
            + "/* block /* nested; */ still; */ UPDATE t SET s = 'q' WHERE id = 1;\r\n"
            + "DO $body$ BEGIN PERFORM 1; PERFORM 2; END $body$;\n"
            + "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
            + "SELECT \"we;ird\" FROM t;\n\n-- runway:down\nDROP TABLE t;\n-- the end";

    static List<String> whole(String text) {
        ScanResult r = SqlScanner.scan(text, "f.sql", 1);
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < r.statements().size() || j < r.comments().size()) {
            int so = i < r.statements().size() ? r.statements().get(i).tokens().get(0).offset() : Integer.MAX_VALUE;
            int co = j < r.comments().size() ? r.comments().get(j).offset() : Integer.MAX_VALUE;
            if (so < co) {
                SqlStatement st = r.statements().get(i++);
                Token last = st.tokens().get(st.tokens().size() - 1);
                out.add(describe(st) + " @" + so + "-" + (last.offset() + last.text().length()));
            } else {
                out.add(describe(r.comments().get(j++)) + " @" + co);
            }
        }
        return out;
    }

    static List<String> streamed(String text, int chunk) {
        SqlStream s = new SqlStream(new StringReader(text), "f.sql", 1, chunk);
        List<String> out = new ArrayList<>();
        for (SqlStream.Item it = s.next(); it != null; it = s.next()) {
            out.add(it.statement() != null ? describe(it.statement()) + " @" + it.start() + "-" + it.end()
                    : describe(it.comment()) + " @" + it.comment().offset());
        }
        return out;
    }

    static String describe(SqlStatement s) {
        List<String> tokens = new ArrayList<>();
        s.tokens().forEach(t -> tokens.add(t.type() + ":" + t.text() + "@" + t.line()));
        return "S " + s.line() + "-" + s.endLine() + " " + s.sql() + " " + tokens;
    }

    static String describe(LineComment c) {
        return "C " + c.line() + " " + c.atLineStart() + " " + c.text();
    }

    /** A seed file's rows are full of strings: a window cut inside one must not keep doubling (it reached 16 MB). */
    @Test
    void theWindowStaysNearTheChunkOnRowsFullOfStrings() {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < 200; s++) {
            b.append("INSERT INTO items (id, name, note) VALUES\n");
            for (int r = 0; r < 100; r++) {
                b.append("  (").append(r).append(", 'item ").append(r).append("', '").append("n".repeat(60)).append("')")
                        .append(r < 99 ? ",\n" : ";\n");
            }
        }
        SqlStream stream = new SqlStream(new StringReader(b.toString()), "seed.sql", 1, 1 << 14);
        int statements = 0;
        int widest = 0;
        for (SqlStream.Item it = stream.next(); it != null; it = stream.next()) {
            statements++;
            widest = Math.max(widest, stream.windowCapacity());
        }
        assertThat(statements).isEqualTo(200);
        assertThat(widest).as("chars held for a 1.9 MB text read 16 kB at a time").isLessThan(1 << 17);
    }

    @Test
    void everyChunkSizeGivesTheWholeScan() {
        List<String> expected = whole(TRICKY);
        assertThat(expected).hasSizeGreaterThan(10);
        for (int chunk = 1; chunk <= 64; chunk++) {
            assertThat(streamed(TRICKY, chunk)).as("chunk %d", chunk).isEqualTo(expected);
        }
        assertThat(streamed(TRICKY, 1 << 20)).isEqualTo(expected);
    }

    @Test
    void randomScriptsStreamLikeTheyScan() {
        String[] parts = {"SELECT 1", "INSERT INTO t VALUES ('x;y')", "-- c;\n", "/* a; */", "$q$;$q$", "E'\\';'", "\n", "\r\n",
            "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END", "\"id;\"", ";", " ", "(1;2)", "$1", "SELECT 1.5e3", "U&'\\0041'"};
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(40); k > 0; k--) {
                b.append(parts[random.nextInt(parts.length)]).append(random.nextBoolean() ? ";\n" : " ");
            }
            String text = b.toString();
            List<String> expected;
            try {
                expected = whole(text);
            } catch (RunwayException bad) {
                assertThatThrownBy(() -> streamed(text, 1 + random.nextInt(30))).isInstanceOf(RunwayException.class)
                        .hasMessage(bad.getMessage());
                continue;
            }
            int chunk = 1 + random.nextInt(30);
            assertThat(streamed(text, chunk)).as("chunk %d: %s", chunk, text.replace("\n", "\\n")).isEqualTo(expected);
        }
    }

    @Test
    void anUnterminatedConstructIsReportedWhereItOpenedOnlyAtTheEnd() {
        String text = "SELECT 1;\nSELECT 2;\nSELECT 'never closed;\nSELECT 3;\n";
        assertThatThrownBy(() -> streamed(text, 4)).isInstanceOf(RunwayException.class)
                .hasMessage("f.sql:3: unterminated quoted string 'never closed;... (opened here)");
    }

    @Test
    void aStatementLongerThanTheChunkIsWhole() {
        String big = "INSERT INTO t VALUES ('" + "x".repeat(100_000) + "');\nSELECT 2;\n";
        List<String> s = streamed(big, 1000);
        assertThat(s).hasSize(2);
        assertThat(s.get(0)).contains("x".repeat(100_000));
    }
}
