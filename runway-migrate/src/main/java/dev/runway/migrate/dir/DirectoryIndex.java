package dev.runway.migrate.dir;

import dev.runway.core.Parallel;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.Liquibase;
import dev.runway.migrate.dir.internal.MigrationParser;
import dev.runway.migrate.dir.internal.SourceText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A migration directory read once: every file listed (names validated, versions ordered, duplicates
 * refused), read, normalized and hashed, but not parsed. {@link #verifySum()} checks runway.sum from
 * those hashes; {@link MigrationRef#parse()} parses only what the caller needs. Liquibase changelogs are
 * split into their changesets here, numbered {@code <changelog>.<changeset>}: the number the changelog's name
 * starts with (or, unless every name starts with a distinct number, its place in name order from 1), then the
 * changeset's place in its file from 1. The directory holds one
 * {@link Layout}, plus Runway's own files if any; two others are a USAGE error naming a file of each.
 * Immutable apart from the refs' memoized parses; one engine call uses it.
 */
public final class DirectoryIndex {
    private final Path path;
    private final MigrationKind kind;
    private final List<MigrationRef> refs;
    private final Layout layout;
    private final List<String> fileNames;
    private final List<byte[]> fileHashes;
    private final Map<MigrationVersion, MigrationRef> byVersion = new HashMap<>();
    /** Whether {@link #parseAll()} uses two threads (an index read without hashing, for check). */
    private final boolean parallel;

    private DirectoryIndex(Path path, MigrationKind kind, List<MigrationRef> refs, Layout layout, List<String> fileNames,
                           List<byte[]> fileHashes, boolean parallel) {
        this.path = path;
        this.parallel = parallel;
        this.kind = kind;
        this.refs = Collections.unmodifiableList(refs);
        this.layout = layout;
        this.fileNames = fileNames;
        this.fileHashes = fileHashes;
        for (MigrationRef r : refs) {
            byVersion.put(r.version(), r);
        }
    }

    /** {@link #read(Path, MigrationKind, Placeholders)} with placeholder replacement on and no values. */
    public static DirectoryIndex read(Path dir, MigrationKind kind) {
        return read(dir, kind, Placeholders.NONE);
    }

    /**
     * Reads {@code dir}. A missing data directory is an empty index; a missing schema directory is a
     * USAGE error. {@code placeholders} fill Flyway's and Liquibase's {@code ${name}} when files are parsed.
     */
    public static DirectoryIndex read(Path dir, MigrationKind kind, Placeholders placeholders) {
        return read(dir, kind, placeholders, true);
    }

    /**
     * {@link #read(Path, MigrationKind, Placeholders)}; {@code hashed} false skips the SHA-256 of the files (of all
     * but those large enough to be streamed): the refs' and parsed migrations' checksums are null and
     * {@link #verifySum()} cannot be called. For readers of the SQL alone ({@link MigrationDirectory#loadUnhashed}).
     */
    static DirectoryIndex read(Path dir, MigrationKind kind, Placeholders placeholders, boolean hashed) {
        if (kind == MigrationKind.DATA && !Files.exists(dir)) {
            return new DirectoryIndex(dir, kind, new ArrayList<>(), Layout.RUNWAY, List.of(), List.of(), !hashed);
        }
        MigrationDirectory.requireDirectory(dir);
        List<MigrationRef> refs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        List<DirectoryListing.Source> changelogs = new ArrayList<>();
        LayoutCheck layouts = new LayoutCheck(dir);
        List<DirectoryListing.Source> sources = DirectoryListing.list(dir);
        // Without hashing (check), files are read on two threads; taken in order, the first failure is the one a
        // sequential read meets. Hashed (release, migrate, status), on this thread alone: those connect to the database
        // meanwhile on another, which is the longer path of a no-op release, and a second reader only slows it.
        // (a class, not a lambda: a cold JVM pays for linking each lambda's call site, and loading a directory links none)
        IntFunction<Read> reader = new IntFunction<>() {
            @Override
            public Read apply(int i) {
                return Read.of(sources.get(i), kind, placeholders, hashed);
            }
        };
        List<Parallel.Outcome<Read>> reads = hashed ? Parallel.sequential(sources.size(), reader) : Parallel.run(sources.size(), reader);
        for (int i = 0; i < sources.size(); i++) {
            DirectoryListing.Source s = sources.get(i);
            Read read = reads.get(i).get();
            if (read == null) {
                changelogs.add(new DirectoryListing.Source(null, s.upName(), DirectoryListing.Format.LIQUIBASE, s.upFile(),
                        s.upName(), null, null));
                continue;
            }
            MigrationRef r = read.ref();
            layouts.add(r.layout(), s.upName());
            refs.add(r);
            names.add(s.upName());
            hashes.add(read.upHash());
            if (read.downHash() != null) {
                names.add(s.downName());
                hashes.add(read.downHash());
            }
        }
        List<String> numbers = changelogNumbers(changelogs);
        int n = 0;
        for (DirectoryListing.Source s : changelogs) {
            String number = numbers.get(n);
            n++;
            layouts.add(Layout.LIQUIBASE, s.upName());
            MigrationRef.FileBytes bytes = MigrationRef.FileBytes.read(s.upFile());
            names.add(s.upName());
            hashes.add(bytes.hash());
            String text = SourceText.of(bytes.raw(), bytes.normalized(), s.upFile().toString()).text();
            int c = 0;
            for (Liquibase.Changeset cs : Liquibase.parse(text, s.upFile().toString())) {
                c++;
                if (!cs.skipped()) {
                    refs.add(MigrationRef.ofChangeset(s, kind, MigrationVersion.parse(number + "." + c), cs, placeholders));
                }
            }
        }
        if (!changelogs.isEmpty()) {
            refs.sort((a, b) -> a.version().compareTo(b.version()));
            for (int i = 1; i < refs.size(); i++) {
                if (refs.get(i).version().equals(refs.get(i - 1).version())) {
                    throw RunwayException.usage("duplicate migration version " + refs.get(i).version() + ": "
                            + refs.get(i - 1).displayName() + " and " + refs.get(i).displayName() + "; give one of them a new version");
                }
            }
            // one list sorted by version, as SumFile orders files: changelog names sort after every versioned file
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(DirectoryListing.fileOrder());
            List<byte[]> sortedHashes = new ArrayList<>();
            for (String name : sorted) {
                sortedHashes.add(hashes.get(names.indexOf(name)));
            }
            names = sorted;
            hashes = sortedHashes;
        }
        return new DirectoryIndex(dir, kind, refs, layouts.layout(), names, hashes, !hashed);
    }

    /** One migration's files read and hashed: its ref and the files' hashes (what runway.sum lists). */
    private record Read(MigrationRef ref, byte[] upHash, byte[] downHash) {
        /** Held while a file large enough to be streamed is read: one such file in memory at a time, as when read alone. */
        private static final Object LARGE = new Object();

        /**
         * The migration of {@code s}, or null for a Liquibase changelog (split into changesets afterwards). Unhashed, the
         * files are read on two threads ({@link #read(Path, MigrationKind, Placeholders, boolean)}), so a file large enough
         * to be streamed waits for the others: a size look-up per file, which a hashed read, on one thread, skips (1,000
         * stat calls were ~5 ms of a no-op release).
         */
        static Read of(DirectoryListing.Source s, MigrationKind kind, Placeholders placeholders, boolean hashed) {
            if (!hashed && (large(s.upFile()) || s.downFile() != null && large(s.downFile()))) {
                synchronized (LARGE) {
                    return read(s, kind, placeholders, hashed);
                }
            }
            return read(s, kind, placeholders, hashed);
        }

        private static boolean large(Path file) {
            // File.length, not Files.size: one stat per file and no exception; 0 when unreadable, and the read fails in turn
            return file.toFile().length() >= MigrationParser.LARGE_FILE;
        }

        private static Read read(DirectoryListing.Source s, MigrationKind kind, Placeholders placeholders, boolean hashed) {
            MigrationRef.FileBytes up = MigrationRef.FileBytes.read(s.upFile(), hashed);
            if (s.format() == DirectoryListing.Format.LIQUIBASE
                    || s.format() == DirectoryListing.Format.NATIVE && up.dialect().layout() == Layout.LIQUIBASE) {
                return null;
            }
            // one file large enough to be streamed is hashed whatever the mode: then both are, so the migration streams
            MigrationRef.FileBytes down = s.downFile() == null ? null : MigrationRef.FileBytes.read(s.downFile(), hashed || up.hash() != null);
            if (down != null && down.hash() != null && up.hash() == null) {
                up = up.hashed();
            }
            return new Read(MigrationRef.ofFiles(s, kind, up, down, placeholders), up.hash(), down == null ? null : down.hash());
        }
    }

    /**
     * The first part of each changelog's changesets' versions: the number its file name starts with when every
     * changelog's does and no two are the same ({@code 01-init.sql}, {@code 12-closure.sql}: a changelog added later
     * gets a later number, whatever its name), else its place in name order from 1.
     */
    private static List<String> changelogNumbers(List<DirectoryListing.Source> changelogs) {
        List<String> out = new ArrayList<>();
        java.util.Set<MigrationVersion> seen = new java.util.HashSet<>();
        for (DirectoryListing.Source s : changelogs) {
            String name = s.upFile().getFileName().toString();
            int i = 0;
            while (i < name.length() && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
                i++;
            }
            if (i == 0 || !seen.add(MigrationVersion.parse(name.substring(0, i)))) {
                out.clear();
                for (int k = 1; k <= changelogs.size(); k++) {
                    out.add(String.valueOf(k));
                }
                return out;
            }
            out.add(name.substring(0, i));
        }
        return out;
    }

    /** The one layout besides Runway's own that a directory may hold. */
    private static final class LayoutCheck {
        private final Path dir;
        private Layout other;
        private String otherFile;

        LayoutCheck(Path dir) {
            this.dir = dir;
        }

        void add(Layout l, String file) {
            if (l == Layout.RUNWAY) {
                return;
            }
            if (other == null) {
                other = l;
                otherFile = file;
            } else if (other != l) {
                throw RunwayException.usage(dir.resolve(file) + ": a " + l.label() + " migration in a directory of " + other.label()
                        + " migrations (" + otherFile + "); one directory holds one runner's files (plus Runway's own):"
                        + " move one set to its own directory");
            }
        }

        Layout layout() {
            return other == null ? Layout.RUNWAY : other;
        }
    }

    public Path path() {
        return path;
    }

    public MigrationKind kind() {
        return kind;
    }

    /** The runner whose files the directory holds besides Runway's own ({@link Layout#RUNWAY} when only Runway's). */
    public Layout layout() {
        return layout;
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
        if (fileHashes.contains(null)) {
            throw new IllegalStateException("read without hashing: runway.sum cannot be verified");
        }
        SumFile.verify(path, fileNames, fileHashes);
    }

    /**
     * Parses every migration (what {@link MigrationDirectory#load} returns); for an index read without hashing, on two
     * threads, and then a migration too large to hold twice is parsed on this one, when its turn comes, so that one at
     * most is in memory at a time.
     */
    public List<Migration> parseAll() {
        IntFunction<Migration> parse = new IntFunction<>() {
            @Override
            public Migration apply(int i) {
                return parallel && refs.get(i).streamed() ? null : refs.get(i).parse();
            }
        };
        List<Parallel.Outcome<Migration>> parsed = !parallel ? Parallel.sequential(refs.size(), parse) : Parallel.run(refs.size(), parse);
        List<Migration> out = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            Migration m = parsed.get(i).get();
            out.add(m != null ? m : refs.get(i).parse());
        }
        return out;
    }
}
