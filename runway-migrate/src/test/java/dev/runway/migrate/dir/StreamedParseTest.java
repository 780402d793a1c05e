package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.MigrationParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A very large file is read as a stream ({@link MigrationParser#parseStreamed}) into exactly the migration the
 * in-memory path gives, except that its statements keep no tokens; a file of {@link MigrationParser#LARGE_FILE} bytes
 * or more goes that way.
 */
class StreamedParseTest {
    @TempDir
    Path dir;

    static String describe(List<SqlStatement> l) {
        if (l == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (SqlStatement s : l) {
            b.append(s.line()).append('-').append(s.endLine()).append(' ').append(s.sql()).append(' ').append(s.keyword()).append(' ')
                    .append(s.nonTransactionalReason()).append(s.transactionControl()).append(s.sessionSetting()).append(' ');
            s.tokens().forEach(t -> b.append(t.type()).append(':').append(t.text()).append('@').append(t.line()).append(' '));
            b.append('\n');
        }
        return b.toString();
    }

    static String describe(Migration m) {
        return describe(m.up()) + "|" + describe(m.down()) + "|" + m.directives() + "|" + m.transactionMode() + "|"
                + m.downTransactionMode() + "|" + m.upNolint() + "|" + m.downNolint() + "|" + m.checksum() + "|" + m.upChecksum()
                + "|" + m.downChecksum() + "|" + m.downFile() + "|" + m.upUnits() + "|" + m.downUnits() + "|" + m.layout() + "|"
                + m.downProblem();
    }

    static Migration streamed(DirectoryListing.Source src, Migration memory) {
        MigrationRef.FileBytes up = MigrationRef.FileBytes.read(src.upFile());
        MigrationRef.FileBytes down = src.downFile() == null || src.format() == DirectoryListing.Format.NATIVE ? null
                : MigrationRef.FileBytes.read(src.downFile());
        return MigrationParser.parseStreamed(src, MigrationKind.SCHEMA, up.dialect().layout(),
                new String[] {memory.checksum(), memory.upChecksum(), memory.downChecksum()}, up.hash(), down == null ? null : down.hash());
    }

    @Test
    void everyStreamableLayoutParsesTheSameFromAStream() throws Exception {
        Files.writeString(dir.resolve("1_native.sql"), "\uFEFF-- runway:lock-timeout 3s\r\n-- runway:nolint RW101 small\n-- runway:up\r\n"
                + "CREATE TABLE t (id int, s text);\n-- runway:nolint RW122 seed\nUPDATE t SET s = 'a;b\r\nc' WHERE id = 1;\n"
                + "DO $$ BEGIN PERFORM 1; END $$;\n-- runway:down\n-- runway:nolint RW202 gone\nDROP TABLE t;\n");
        Files.writeString(dir.resolve("3_concurrent.sql"), "-- runway:up\nCREATE INDEX CONCURRENTLY t_s ON t (s);\n"
                + "-- runway:down\nDROP INDEX CONCURRENTLY t_s;\n");
        Files.writeString(dir.resolve("4_pair.up.sql"), "-- runway:retries 3\nCREATE TABLE p (id int);\n-- runway:nolint RW122 x\nDELETE FROM p;\n");
        Files.writeString(dir.resolve("4_pair.down.sql"), "DROP TABLE p;\n");
        Files.writeString(dir.resolve("6_empty.sql"), "-- runway:allow-empty\n-- runway:up\n-- nothing\n");
        Files.writeString(dir.resolve("7_own_tx.sql"), "-- runway:up\nSET lock_timeout = '1s';\nBEGIN;\nCREATE TABLE o (id int);\nCOMMIT;\n"
                + "CREATE INDEX CONCURRENTLY o_id ON o (id);\nBEGIN;\nINSERT INTO o VALUES (1);\nCOMMIT;\n");
        Files.writeString(dir.resolve("8_utf8.sql"), "-- runway:up\nINSERT INTO t (s) VALUES ('Zoë – 東京 – 🚀');\nSELECT 'x\ry';\n");
        // no down section: the inline nolint is placed by the streamed statements' offsets (they keep no tokens)
        Files.writeString(dir.resolve("9_no_down.sql"), "-- runway:up\nCREATE TABLE n (id int);\nINSERT INTO n VALUES (1);\n"
                + "-- runway:nolint RW122 one row\nUPDATE n SET id = 2;\nDELETE FROM n;\n");
        assertSameFromAStream(dir, 7);
        Path flyway = Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(flyway.resolve("V1__a.sql"), "CREATE TABLE f (id int);\nINSERT INTO f VALUES (1)");
        Files.writeString(flyway.resolve("U1__a.sql"), "DROP TABLE f;");
        assertSameFromAStream(flyway, 1);
        Path folders = Files.createDirectories(dir.resolve("diesel/2024-01-01-000000_a"));
        Files.writeString(folders.resolve("up.sql"), "CREATE TABLE d (id int);\r\n");
        Files.writeString(folders.resolve("down.sql"), "DROP TABLE d;\n");
        assertSameFromAStream(dir.resolve("diesel"), 1);
    }

    private static void assertSameFromAStream(Path dir, int migrations) {
        int parsed = 0;
        for (DirectoryListing.Source src : DirectoryListing.list(dir)) {
            Migration memory = MigrationParser.parse(src, MigrationKind.SCHEMA);
            Migration streamed = streamed(src, memory);
            assertThat(describe(streamed)).as(src.upName()).isEqualTo(describe(memory));
            for (SqlStatement s : streamed.up()) {
                assertThat(s.withoutTokens()).as("kept no tokens").isSameAs(s);
            }
            parsed++;
        }
        assertThat(parsed).isEqualTo(migrations);
    }

    @Test
    void aStreamedFileWithAnUnterminatedStringOrBadUtf8NamesFileAndLine() throws Exception {
        Path bad = dir.resolve("1_bad.sql");
        Files.writeString(bad, "-- runway:up\nCREATE TABLE t (id int);\nINSERT INTO t VALUES ('x);\n");
        DirectoryListing.Source src = DirectoryListing.list(dir).get(0);
        String inMemory = messageOf(() -> MigrationParser.parse(src, MigrationKind.SCHEMA));
        assertThat(inMemory).contains("1_bad.sql:3");
        MigrationRef.FileBytes up = MigrationRef.FileBytes.read(bad);
        assertThat(messageOf(() -> MigrationParser.parseStreamed(src, MigrationKind.SCHEMA, Layout.RUNWAY, new String[3], up.hash(), null)))
                .isEqualTo(inMemory);
        Files.write(bad, "-- runway:up\nSELECT 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1));
        MigrationRef.FileBytes latin1 = MigrationRef.FileBytes.read(bad);
        String badUtf8 = messageOf(() -> MigrationParser.parse(src, MigrationKind.SCHEMA));
        assertThat(messageOf(() -> MigrationParser.parseStreamed(src, MigrationKind.SCHEMA, Layout.RUNWAY, new String[3], latin1.hash(),
                null))).isEqualTo(badUtf8).contains("byte offset 24");
    }

    @Test
    void aFileChangedBetweenChecksumAndParseIsRefused() throws Exception {
        Path f = dir.resolve("1_a.sql");
        Files.writeString(f, "-- runway:up\nCREATE TABLE t (id int);\n");
        MigrationRef.FileBytes before = MigrationRef.FileBytes.read(f);
        Files.writeString(f, "-- runway:up\nDROP TABLE important;\n");
        DirectoryListing.Source src = DirectoryListing.list(dir).get(0);
        assertThat(messageOf(() -> MigrationParser.parseStreamed(src, MigrationKind.SCHEMA, Layout.RUNWAY, new String[3], before.hash(),
                null))).isEqualTo(f + ": changed while Runway was reading it; run again");
    }

    @Test
    void aLargeFileIsParsedAsAStreamThroughTheDirectory() throws Exception {
        StringBuilder b = new StringBuilder("-- runway:up\nCREATE TABLE big (id int, s text);\n");
        for (int i = 0; b.length() < MigrationParser.LARGE_FILE; i++) {
            b.append("INSERT INTO big VALUES (").append(i).append(", 'row ").append(i).append("');\n");
        }
        b.append("-- runway:down\nDROP TABLE big;\n");
        Files.writeString(dir.resolve("1_big.sql"), b);
        Files.writeString(dir.resolve("2_small.sql"), "-- runway:up\nCREATE TABLE small (id int);\n");
        List<MigrationRef> refs = DirectoryIndex.read(dir, MigrationKind.SCHEMA).refs();
        Migration big = refs.get(0).parse();
        assertThat(big.up().get(1).withoutTokens()).as("large: streamed, no tokens kept").isSameAs(big.up().get(1));
        assertThat(big.down()).hasSize(1);
        assertThat(big.up().get(big.up().size() - 1).sql()).startsWith("INSERT INTO big VALUES (");
        Migration small = refs.get(1).parse();
        assertThat(small.up().get(0).withoutTokens()).as("small: read whole, tokens kept").isNotSameAs(small.up().get(0));
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
        } catch (RunwayException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error");
    }
}
