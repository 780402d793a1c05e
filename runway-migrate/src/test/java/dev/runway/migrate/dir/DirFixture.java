package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes migration files into a temporary directory. */
final class DirFixture {
    private DirFixture() {
    }

    static Path write(Path dir, String name, String content) {
        return writeBytes(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code name} and asserts that loading the directory is a USAGE error with exactly {@code dir/name + message}. */
    static void assertUsage(Path dir, String name, String text, String message) {
        write(dir, name, text);
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA)).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage(dir.resolve(name) + message);
    }

    static Path writeBytes(Path dir, String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
