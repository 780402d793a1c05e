package dev.runway.migrate.dir.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SourceText#readBytes} reads into a per-thread buffer: every file comes back whole and exact, whatever its size
 * against the buffer's (empty, one byte, one short of it, exactly it, one over, several times it), also when a small
 * file follows a large one on the same thread.
 */
class ReadBytesTest {
    private static final int BUFFER = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void everyFileComesBackWholeWhateverItsSizeAgainstTheBuffer() throws Exception {
        Random random = new Random(15);
        int[] sizes = {0, 1, 400, BUFFER - 1, BUFFER, BUFFER + 1, 3 * BUFFER + 17, 5, 2 * BUFFER};
        for (int size : sizes) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            Path file = dir.resolve("f" + size + ".sql");
            Files.write(file, content);
            byte[] read = SourceText.readBytes(file, file.toString());
            assertThat(Arrays.equals(read, content)).as("%d bytes read back exactly (got %d)", size, read.length).isTrue();
        }
    }

    @Test
    void anUnreadableFileIsAUsageErrorNamingIt() {
        Path missing = dir.resolve("missing.sql");
        assertThatThrownBy(() -> SourceText.readBytes(missing, "migrations/missing.sql"))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageStartingWith("migrations/missing.sql: cannot read file");
    }
}
