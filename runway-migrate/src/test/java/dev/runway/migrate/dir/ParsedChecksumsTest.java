package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.internal.Checksums;
import dev.runway.migrate.dir.internal.MigrationParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration parsed from a directory index ({@link MigrationRef#parse()}) is exactly the migration a fresh
 * {@link MigrationParser#parse} of its files gives, in every file layout; in particular it carries the checksums
 * its ref computed when the files were read (they are not hashed again, issue #15), which are what hashing the
 * files on their own gives: the whole migration's, the up section's and the down section's. A directory loaded without hashing
 * ({@link MigrationDirectory#loadUnhashed}) gives the same migrations without the checksums, except of a file large
 * enough to be streamed, which still streams and is still checked against its hash.
 */
class ParsedChecksumsTest {
    @TempDir
    Path dir;

    /** Loading without hashing gives the migrations loading gives, checksums aside (null). */
    private static void assertUnhashedLoadIsTheSame(Path dir) {
        List<Migration> hashed = MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
        List<Migration> unhashed = MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE).migrations();
        assertThat(unhashed).hasSameSizeAs(hashed);
        for (int i = 0; i < hashed.size(); i++) {
            Migration h = hashed.get(i);
            Migration u = unhashed.get(i);
            assertThat(List.of(String.valueOf(u.checksum()), String.valueOf(u.upChecksum()), String.valueOf(u.downChecksum())))
                    .as(h.displayName()).containsOnly("null");
            String expected = StreamedParseTest.describe(h).replace(h.checksum() + "|" + h.upChecksum() + "|" + h.downChecksum(),
                    "null|null|null");
            assertThat(StreamedParseTest.describe(u)).as(h.displayName()).isEqualTo(expected);
        }
    }

    private static void assertChecksumsOfFiles(Path dir, int migrations) {
        assertUnhashedLoadIsTheSame(dir);
        List<MigrationRef> refs = DirectoryIndex.read(dir, MigrationKind.SCHEMA).refs();
        assertThat(refs).hasSize(migrations);
        for (MigrationRef r : refs) {
            Migration parsed = r.parse();
            Migration alone = MigrationParser.parse(r.source(), MigrationKind.SCHEMA); // reads and hashes the files itself
            assertThat(StreamedParseTest.describe(parsed)).as(r.displayName()).isEqualTo(StreamedParseTest.describe(alone));
            assertThat(List.of(parsed.checksum(), parsed.upChecksum(), String.valueOf(parsed.downChecksum())))
                    .as(r.displayName())
                    .isEqualTo(List.of(alone.checksum(), alone.upChecksum(), String.valueOf(alone.downChecksum())))
                    .isEqualTo(List.of(r.checksum(), r.upChecksum(), String.valueOf(r.downChecksum())));
            assertThat(parsed.checksum()).startsWith(Checksums.PREFIX).hasSize(Checksums.PREFIX.length() + 64);
        }
    }

    @Test
    void parsedMigrationsCarryTheChecksumsOfTheirFilesInEveryLayout() throws Exception {
        Files.writeString(dir.resolve("1_native.sql"), "\uFEFF-- runway:lock-timeout 3s\r\n-- runway:up\r\n"
                + "CREATE TABLE t (id int, s text);\n-- runway:down\nDROP TABLE t;\n");
        Files.writeString(dir.resolve("2_up_only.sql"), "-- runway:up\nCREATE TABLE u (id int);\n");
        assertChecksumsOfFiles(dir, 2);
        Path pairs = Files.createDirectories(dir.resolve("pairs"));
        Files.writeString(pairs.resolve("1_p.up.sql"), "CREATE TABLE p (id int);\n");
        Files.writeString(pairs.resolve("1_p.down.sql"), "DROP TABLE p;\n");
        Files.writeString(pairs.resolve("2_q.up.sql"), "CREATE TABLE q (id int);\n");
        assertChecksumsOfFiles(pairs, 2);
        Path flyway = Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(flyway.resolve("V1__a.sql"), "CREATE TABLE f (id int);\n");
        Files.writeString(flyway.resolve("U1__a.sql"), "DROP TABLE f;");
        Files.writeString(flyway.resolve("V2__b.sql"), "CREATE TABLE g (id int);\n");
        assertChecksumsOfFiles(flyway, 2);
        Path goose = Files.createDirectories(dir.resolve("goose"));
        Files.writeString(goose.resolve("00001_a.sql"), "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n");
        assertChecksumsOfFiles(goose, 1);
        Path diesel = Files.createDirectories(dir.resolve("diesel/2024-01-01-000000_a"));
        Files.writeString(diesel.resolve("up.sql"), "CREATE TABLE d (id int);\r\n");
        Files.writeString(diesel.resolve("down.sql"), "DROP TABLE d;\n");
        assertChecksumsOfFiles(dir.resolve("diesel"), 1);
        assertThatThrownBy(() -> DirectoryIndex.read(pairs, MigrationKind.SCHEMA, Placeholders.NONE, false).verifySum())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFileLargeEnoughToStreamIsHashedAndStreamedWithoutHashingTheRest() throws Exception {
        StringBuilder b = new StringBuilder("-- runway:up\nCREATE TABLE big (id int, s text);\n");
        for (int i = 0; b.length() < MigrationParser.LARGE_FILE; i++) {
            b.append("INSERT INTO big VALUES (").append(i).append(", 'row ").append(i).append("');\n");
        }
        Files.writeString(dir.resolve("1_big.sql"), b + "-- runway:down\nDROP TABLE big;\n");
        Files.writeString(dir.resolve("2_small.sql"), "-- runway:up\nCREATE TABLE small (id int);\n");
        Path pairs = Files.createDirectories(dir.resolve("pairs"));
        Files.writeString(pairs.resolve("1_p.up.sql"), "CREATE TABLE p (id int);\n");
        Files.writeString(pairs.resolve("1_p.down.sql"), b.substring("-- runway:up\n".length()));
        for (Path d : List.of(dir, pairs)) {
            List<Migration> hashed = MigrationDirectory.load(d, MigrationKind.SCHEMA).migrations();
            List<Migration> unhashed = MigrationDirectory.loadUnhashed(d, MigrationKind.SCHEMA, Placeholders.NONE).migrations();
            Migration big = unhashed.get(0);
            assertThat(StreamedParseTest.describe(big)).isEqualTo(StreamedParseTest.describe(hashed.get(0)));
            List<SqlStatement> streamed = big.down() != null && big.down().size() > 1 ? big.down() : big.up();
            assertThat(streamed.get(1).withoutTokens()).as("streamed, no tokens kept").isSameAs(streamed.get(1));
        }
        assertThat(MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE).migrations().get(1).checksum()).isNull();
    }
}
