package dev.runway.migrate;

import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: a temp migrations directory, files written with runway.sum kept in step. */
final class MigrationFiles {
    final Path dir;

    MigrationFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code <version>_<name>.sql} with an up and (if not null) a down section, then rehashes. */
    MigrationFiles add(String version, String name, String up, String down) {
        return raw(version + "_" + name + ".sql", "-- runway:up\n" + up + "\n" + (down == null ? "" : "\n-- runway:down\n" + down + "\n"));
    }

    MigrationFiles raw(String file, String content) {
        try {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SumFile.write(dir);
        return this;
    }

    /** Writes without rehashing (to provoke a runway.sum mismatch). */
    MigrationFiles rawNoHash(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
