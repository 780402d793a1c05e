package dev.runway.migrate.dir;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.MigrationParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded migration directory: every migration file read, split into statements, its directives
 * checked and its transaction mode decided, so that any problem in any file is reported before a
 * database is touched. Schema migrations live in the directory itself ({@code migrations/}); its
 * {@code data/} subfolder is the separate data-migrations directory, loaded on its own with
 * {@link MigrationKind#DATA}. Immutable and thread-safe.
 */
public final class MigrationDirectory {
    private final Path path;
    private final MigrationKind kind;
    private final List<Migration> migrations;
    private final Map<MigrationVersion, Migration> byVersion;

    private MigrationDirectory(Path path, MigrationKind kind, List<Migration> migrations) {
        this.path = path;
        this.kind = kind;
        this.migrations = Collections.unmodifiableList(migrations);
        this.byVersion = new HashMap<>();
        for (Migration m : migrations) {
            byVersion.put(m.version(), m);
        }
    }

    /**
     * Loads every migration of {@code dir}. Files are named in errors as {@code dir.resolve(name)}.
     *
     * @throws RunwayException (USAGE) for a missing directory, a file name that fits no accepted form,
     *                         duplicate versions, invalid UTF-8, unterminated quotes or comments, bad
     *                         or misplaced directives and markers, and contradictory transaction needs
     */
    public static MigrationDirectory load(Path dir, MigrationKind kind) {
        return load(dir, kind, Placeholders.NONE);
    }

    /** {@link #load(Path, MigrationKind)} with values for Flyway's and Liquibase's {@code ${name}} placeholders. */
    public static MigrationDirectory load(Path dir, MigrationKind kind, Placeholders placeholders) {
        requireDirectory(dir);
        return new MigrationDirectory(dir, kind, DirectoryIndex.read(dir, kind, placeholders).parseAll());
    }

    /**
     * {@link #load(Path, MigrationKind, Placeholders)} without hashing the files: every migration read, parsed and
     * validated the same, but its {@link Migration#checksum()}, {@link Migration#upChecksum()} and
     * {@link Migration#downChecksum()} are null (but for a Liquibase changeset's, or a file large enough to be read as a
     * stream). For readers of the SQL alone, such as {@code check}: the SHA-256 of 1,000 files is about a tenth of a
     * static check's CPU in a cold JVM.
     */
    public static MigrationDirectory loadUnhashed(Path dir, MigrationKind kind, Placeholders placeholders) {
        requireDirectory(dir);
        return new MigrationDirectory(dir, kind, DirectoryIndex.read(dir, kind, placeholders, false).parseAll());
    }

    /** {@link #load}, or empty when {@code dir} does not exist (e.g. a project without {@code migrations/data/}). */
    public static Optional<MigrationDirectory> loadIfExists(Path dir, MigrationKind kind) {
        return Files.exists(dir) ? Optional.of(load(dir, kind)) : Optional.empty();
    }

    static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw RunwayException.usage(dir + "/: " + (Files.exists(dir) ? "not a directory" : "directory not found")
                    + " (create it or pass --dir)");
        }
    }

    public Path path() {
        return path;
    }

    public MigrationKind kind() {
        return kind;
    }

    /** All migrations, sorted by version; unmodifiable. */
    public List<Migration> migrations() {
        return migrations;
    }

    /** The migration with this version ({@code 1.0} finds {@code 1}). */
    public Optional<Migration> find(MigrationVersion v) {
        return Optional.ofNullable(byVersion.get(v));
    }

    /**
     * This directory's runway.sum, read now (so a malformed runway.sum does not prevent loading, and
     * {@code runway hash} can still fix it); {@link SumFile#present()} is false when there is none.
     *
     * @throws SumFileException when it exists but is malformed
     */
    public SumFile sumFile() {
        return SumFile.read(path);
    }
}
