package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.dir.internal.MigrationParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration parsed through the directory ({@link MigrationRef#parse()}, which reuses the checksums computed when
 * the directory was read instead of hashing the files again, issue #15) is exactly the migration a fresh
 * {@link MigrationParser#parse} of its files gives: checksums of the migration, its up and its down section included.
 */
class RefParseTest {
    @TempDir
    Path dir;

    @Test
    void theDirectorysChecksumsAreTheOnesAFreshParseComputes() throws Exception {
        Files.writeString(dir.resolve("1_native.sql"), "\uFEFF-- runway:lock-timeout 3s\r\n-- runway:up\r\n"
                + "CREATE TABLE t (id int, s text);\n-- runway:down\nDROP TABLE t;\n");
        Files.writeString(dir.resolve("2_up_only.sql"), "-- runway:up\nCREATE INDEX t_s ON t (s);\n");
        Files.writeString(dir.resolve("4_goose.sql"), "-- +goose Up\nCREATE TABLE g (id int);\n-- +goose Down\nDROP TABLE g;\n");
        assertSame(dir, 3);
        Path paired = Files.createDirectories(dir.resolve("paired"));
        Files.writeString(paired.resolve("3_pair.up.sql"), "CREATE TABLE p (id int);\n");
        Files.writeString(paired.resolve("3_pair.down.sql"), "DROP TABLE p;\n");
        Files.writeString(paired.resolve("4_pair.up.sql"), "CREATE TABLE q (id int);\n");
        assertSame(paired, 2);
        Path flyway = Files.createDirectories(dir.resolve("flyway"));
        Files.writeString(flyway.resolve("V1__a.sql"), "CREATE TABLE f (id int);\n");
        Files.writeString(flyway.resolve("U1__a.sql"), "DROP TABLE f;");
        Files.writeString(flyway.resolve("V2__b.sql"), "ALTER TABLE f ADD COLUMN x int;\n");
        assertSame(flyway, 2);
        Path folders = Files.createDirectories(dir.resolve("diesel/2024-01-01-000000_a"));
        Files.writeString(folders.resolve("up.sql"), "CREATE TABLE d (id int);\r\n");
        Files.writeString(folders.resolve("down.sql"), "DROP TABLE d;\n");
        assertSame(dir.resolve("diesel"), 1);
    }

    private static void assertSame(Path dir, int migrations) {
        int n = 0;
        for (MigrationRef ref : DirectoryIndex.read(dir, MigrationKind.SCHEMA).refs()) {
            Migration fresh = MigrationParser.parse(ref.source(), MigrationKind.SCHEMA);
            Migration viaRef = ref.parse();
            assertThat(StreamedParseTest.describe(viaRef)).as(ref.source().upName()).isEqualTo(StreamedParseTest.describe(fresh));
            assertThat(viaRef.checksum()).isEqualTo(ref.checksum());
            n++;
        }
        assertThat(n).isEqualTo(migrations);
    }
}
