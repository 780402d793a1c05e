package dev.runway.migrate.dir;

import dev.runway.migrate.dir.internal.DirectoryListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A migration directory read once: every file listed (names validated, versions ordered, duplicates
 * refused), read, normalized and hashed, but not parsed. {@link #verifySum()} checks runway.sum from
 * those hashes; {@link MigrationRef#parse()} parses only what the caller needs. Immutable apart from
 * the refs' memoized parses; one engine call uses it.
 */
public final class DirectoryIndex {
    private final Path path;
    private final MigrationKind kind;
    private final List<MigrationRef> refs;
    private final Map<MigrationVersion, MigrationRef> byVersion = new HashMap<>();

    private DirectoryIndex(Path path, MigrationKind kind, List<MigrationRef> refs) {
        this.path = path;
        this.kind = kind;
        this.refs = Collections.unmodifiableList(refs);
        for (MigrationRef r : refs) {
            byVersion.put(r.version(), r);
        }
    }

    /**
     * Reads {@code dir}. A missing data directory is an empty index; a missing schema directory is a
     * USAGE error.
     */
    public static DirectoryIndex read(Path dir, MigrationKind kind) {
        if (kind == MigrationKind.DATA && !Files.exists(dir)) {
            return new DirectoryIndex(dir, kind, new ArrayList<>());
        }
        MigrationDirectory.requireDirectory(dir);
        List<MigrationRef> refs = new ArrayList<>();
        for (DirectoryListing.Source s : DirectoryListing.list(dir)) {
            refs.add(new MigrationRef(s, kind));
        }
        return new DirectoryIndex(dir, kind, refs);
    }

    public Path path() {
        return path;
    }

    public MigrationKind kind() {
        return kind;
    }

    /** In version order. */
    public List<MigrationRef> refs() {
        return refs;
    }

    public Optional<MigrationRef> find(MigrationVersion v) {
        return Optional.ofNullable(byVersion.get(v));
    }

    /** {@link SumFile#verify(Path)} without reading the files again (no-op for a missing data directory). */
    public void verifySum() {
        if (kind == MigrationKind.DATA && !Files.exists(path)) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        for (MigrationRef r : refs) {
            names.add(r.source().upName());
            hashes.add(r.upHash());
            if (r.source().downFile() != null) {
                names.add(r.source().downName());
                hashes.add(r.downHash());
            }
        }
        SumFile.verify(path, names, hashes);
    }

    /** Parses every migration (what {@link MigrationDirectory#load} returns). */
    public List<Migration> parseAll() {
        List<Migration> out = new ArrayList<>(refs.size());
        for (MigrationRef r : refs) {
            out.add(r.parse());
        }
        return out;
    }
}
