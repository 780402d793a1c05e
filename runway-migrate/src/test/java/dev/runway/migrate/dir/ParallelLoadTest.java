package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.internal.MigrationParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory large enough to be read and parsed on two threads (read without hashing, as check reads it) ({@link dev.runway.core.Parallel}) loads exactly
 * as one read file by file would: every migration in version order, each as parsing its files alone gives, and
 * of several bad files the first in version order is the one reported, whichever thread met it first.
 */
class ParallelLoadTest {
    @TempDir
    Path dir;

    private void write(int files) throws Exception {
        for (int v = 1; v <= files; v++) {
            Files.writeString(dir.resolve(v + "_m.sql"), "-- runway:nolint RW101 small\n-- runway:up\nCREATE TABLE t" + v
                    + " (id int, s text DEFAULT 'a;b');\n" + (v % 3 == 0 ? "-- runway:down\nDROP TABLE t" + v + ";\n" : ""));
        }
    }

    @Test
    void aLargeDirectoryLoadsAsFileByFile() throws Exception {
        write(300);
        List<Migration> all = MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE).migrations();
        DirectoryIndex index = DirectoryIndex.read(dir, MigrationKind.SCHEMA);
        assertThat(all).hasSize(300);
        for (int i = 0; i < all.size(); i++) {
            Migration m = all.get(i);
            assertThat(m.version().text()).isEqualTo(String.valueOf(i + 1));
            Migration alone = MigrationParser.parse(index.refs().get(i).source(), MigrationKind.SCHEMA);
            assertThat(StreamedParseTest.describe(m)).isEqualTo(StreamedParseTest.describe(alone)
                    .replace(alone.checksum() + "|" + alone.upChecksum() + "|" + alone.downChecksum(), "null|null|null"));
        }
    }

    @Test
    void ofSeveralBadFilesTheFirstInVersionOrderIsReported() throws Exception {
        write(300);
        Files.write(dir.resolve("250_m.sql"), new byte[] {'-', '-', ' ', 'r', 'u', 'n', 'w', 'a', 'y', ':', 'u', 'p', '\n', (byte) 0xC3, '\n'});
        Files.writeString(dir.resolve("40_m.sql"), "-- runway:up\nSELECT 'unterminated;\n");
        Files.writeString(dir.resolve("120_m.sql"), "-- runway:up\nSELECT $x$ never closed;\n");
        for (int round = 0; round < 20; round++) {
            assertThatThrownBy(() -> MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE)).isInstanceOf(RunwayException.class)
                    .hasMessageContaining("40_m.sql");
        }
        Files.writeString(dir.resolve("40_m.sql"), "-- runway:up\nSELECT 1;\n");
        assertThatThrownBy(() -> MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE)).hasMessageContaining("120_m.sql");
        Files.writeString(dir.resolve("120_m.sql"), "-- runway:up\nSELECT 1;\n");
        // invalid UTF-8 is found when the file is parsed; reading and hashing it (a release's no-op) is fine
        assertThat(DirectoryIndex.read(dir, MigrationKind.SCHEMA, Placeholders.NONE, false).refs()).hasSize(300);
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA)).hasMessageContaining("250_m.sql"); // hashed: one thread
        assertThatThrownBy(() -> MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, Placeholders.NONE)).hasMessageContaining("250_m.sql")
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aFileThatCannotBeReadIsReportedInItsTurn() throws Exception {
        write(300);
        for (int v : new int[] {250, 150}) { // directories named like migrations: reading them fails
            Files.delete(dir.resolve(v + "_m.sql"));
            Files.createDirectory(dir.resolve(v + "_m.sql"));
        }
        for (int round = 0; round < 20; round++) {
            assertThatThrownBy(() -> DirectoryIndex.read(dir, MigrationKind.SCHEMA, Placeholders.NONE, false)).isInstanceOf(RunwayException.class)
                    .hasMessageContaining("150_m.sql").hasMessageContaining("cannot read");
        }
        assertThatThrownBy(() -> DirectoryIndex.read(dir, MigrationKind.SCHEMA)).hasMessageContaining("150_m.sql");
    }
}
