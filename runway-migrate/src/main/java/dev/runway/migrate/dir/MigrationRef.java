package dev.runway.migrate.dir;

import dev.runway.migrate.dir.internal.Checksums;
import dev.runway.migrate.dir.internal.Dialects;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.Liquibase;
import dev.runway.migrate.dir.internal.MigrationParser;
import dev.runway.migrate.dir.internal.SourceText;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A migration read and checksummed but not yet parsed: what planning needs (version, name,
 * checksum) without scanning its SQL. {@link #parse()} scans it on demand, once. A release that finds
 * nothing pending never parses applied files, which is most of a no-op's cost at 1,000 migrations.
 * One file (or pair of files, or folder) is one migration, except a Liquibase changelog: one per changeset.
 *
 * <p>Not thread-safe ({@link #parse()} memoizes without locking); one engine call uses it (and
 * {@link DirectoryIndex#parseAll()} parses each ref on one thread).
 */
public final class MigrationRef {
    private final DirectoryListing.Source source;
    private final MigrationKind kind;
    private final MigrationVersion version;
    private final String description;
    private final Layout layout;
    private final String checksum;
    private final String upChecksum;
    private final String downChecksum;
    private final String upFileChecksum;
    private final boolean rerunsOnChange;
    private final Supplier<Migration> parser;
    private final boolean streamed;
    private Migration parsed;

    private MigrationRef(DirectoryListing.Source source, MigrationKind kind, MigrationVersion version, String description,
                         Layout layout, String[] checksums, boolean rerunsOnChange, Supplier<Migration> parser) {
        this(source, kind, version, description, layout, checksums, rerunsOnChange, parser, false);
    }

    private MigrationRef(DirectoryListing.Source source, MigrationKind kind, MigrationVersion version, String description,
                         Layout layout, String[] checksums, boolean rerunsOnChange, Supplier<Migration> parser, boolean streamed) {
        this.streamed = streamed;
        this.source = source;
        this.kind = kind;
        this.version = version;
        this.description = description;
        this.layout = layout;
        this.checksum = checksums[0];
        this.upChecksum = checksums[1];
        this.downChecksum = checksums[2];
        this.upFileChecksum = checksums[3];
        this.rerunsOnChange = rerunsOnChange;
        this.parser = parser;
    }

    /** A migration of one file, a pair of files or a folder, from its bytes already read (decoding waits for parse()). */
    static MigrationRef ofFiles(DirectoryListing.Source source, MigrationKind kind, FileBytes up, FileBytes down,
                                Placeholders placeholders) {
        Layout layout = layoutOf(source, up);
        int downOffset = source.format() == DirectoryListing.Format.NATIVE ? up.dialect().downOffset() : -1;
        boolean hashed = up.hash() != null && (down == null || down.hash() != null);
        String[] checksums = !hashed ? new String[4] : new String[] {Checksums.fromHashes(up.hash(), down == null ? null : down.hash()),
            Checksums.up(up.normalized(), up.hash(), downOffset), Checksums.down(up.normalized(), downOffset, down == null ? null : down.hash()),
            Checksums.fromHashes(up.hash(), null)};
        String[] sums = {checksums[0], checksums[1], checksums[2]};
        if (hashed && large(up, down) && MigrationParser.streamable(source, layout, placeholders.enabled() && (up.hasPlaceholder()
                || down != null && down.hasPlaceholder()))) {
            // Not held until parse(): a file of many megabytes is read again then, as a stream.
            byte[] upHash = up.hash();
            byte[] downHash = down == null ? null : down.hash();
            return new MigrationRef(source, kind, source.version(), source.description(), layout, checksums,
                    source.version().isRepeatable(), () -> MigrationParser.parseStreamed(source, kind, layout, sums, upHash, downHash), true);
        }
        return new MigrationRef(source, kind, source.version(), source.description(), layout, checksums,
                source.version().isRepeatable(), new InMemory(source, kind, up, down, layout, sums, placeholders));
    }

    /**
     * Parses a migration from its bytes already read. A class, not a lambda: a cold JVM pays for linking each
     * lambda's call site, and loading a directory (what release and check --static do first) links none.
     */
    private static final class InMemory implements Supplier<Migration> {
        private final DirectoryListing.Source source;
        private final MigrationKind kind;
        private final FileBytes up;
        private final FileBytes down;
        private final Layout layout;
        private final String[] sums;
        private final Placeholders placeholders;

        InMemory(DirectoryListing.Source source, MigrationKind kind, FileBytes up, FileBytes down, Layout layout, String[] sums,
                 Placeholders placeholders) {
            this.source = source;
            this.kind = kind;
            this.up = up;
            this.down = down;
            this.layout = layout;
            this.sums = sums;
            this.placeholders = placeholders;
        }

        @Override
        public Migration get() {
            SourceText.Content u = SourceText.of(up.raw(), up.normalized(), source.upFile().toString());
            SourceText.Content d = down == null ? null : SourceText.of(down.raw(), down.normalized(), source.downFile().toString());
            return MigrationParser.parse(source, kind, u, d, layout, sums, placeholders);
        }
    }

    /** One changeset of a Liquibase changelog, numbered {@code version}. */
    static MigrationRef ofChangeset(DirectoryListing.Source source, MigrationKind kind, MigrationVersion version,
                                    Liquibase.Changeset cs, Placeholders placeholders) {
        String checksum = Checksums.PREFIX + Checksums.hexOf(Checksums.sha256(cs.upText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String downChecksum = cs.downText() == null ? null
                : Checksums.PREFIX + Checksums.hexOf(Checksums.sha256(cs.downText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new MigrationRef(source, kind, version, cs.name(), Layout.LIQUIBASE, new String[] {checksum, checksum, downChecksum, checksum},
                cs.runOnChange(), () -> MigrationParser.parseChangeset(source, kind, version, cs, checksum, downChecksum, placeholders));
    }

    /** The runner a file was written for: by its name, or for one-file migrations by its markers. */
    static Layout layoutOf(DirectoryListing.Source source, FileBytes up) {
        switch (source.format()) {
            case PAIRED:
                return Layout.GOLANG_MIGRATE;
            case FOLDER:
                return Layout.DIESEL;
            case FLYWAY:
                return Layout.FLYWAY;
            case LIQUIBASE:
                return Layout.LIQUIBASE;
            default:
                return up.dialect().layout();
        }
    }

    private static boolean large(FileBytes up, FileBytes down) {
        return up.normalized().length >= MigrationParser.LARGE_FILE || down != null && down.normalized().length >= MigrationParser.LARGE_FILE;
    }

    /**
     * A file's bytes: as read, normalized (what checksums cover), their SHA-256 (null when read without hashing), and
     * the runner its markers name.
     */
    record FileBytes(byte[] raw, byte[] normalized, byte[] hash, Dialects.Detected dialect) {
        /** True when the text holds {@code ${}, so a Flyway file may have a placeholder to replace. */
        boolean hasPlaceholder() {
            for (int i = 0; i + 1 < normalized.length; i++) {
                if (normalized[i] == '$' && normalized[i + 1] == '{') {
                    return true;
                }
            }
            return false;
        }

        static FileBytes read(Path file) {
            return read(file, true);
        }

        /** These bytes with their SHA-256. */
        FileBytes hashed() {
            return hash != null ? this : new FileBytes(raw, normalized, Checksums.sha256(normalized), dialect);
        }

        /** {@code hashed} false: no SHA-256, except of a file large enough to be streamed (its parse checks the hash). */
        static FileBytes read(Path file, boolean hashed) {
            byte[] raw = SourceText.readBytes(file, file.toString());
            byte[] normalized = SourceText.normalize(raw);
            byte[] hash = hashed || normalized.length >= MigrationParser.LARGE_FILE ? Checksums.sha256(normalized) : null;
            return new FileBytes(raw, normalized, hash, Dialects.detect(normalized));
        }
    }

    public MigrationVersion version() {
        return version;
    }

    /** The description as written in the file name ("add_orders_status"), or a Liquibase changeset's {@code author:id}. */
    public String description() {
        return description;
    }

    public MigrationKind kind() {
        return kind;
    }

    /** The runner the file was written for. */
    public Layout layout() {
        return layout;
    }

    /** The up file (or the single file, or the Liquibase changelog). */
    public Path file() {
        return source.upFile();
    }

    /** {@code sha256:...} of the whole migration, equal to {@link Migration#checksum()} of the parsed migration. */
    public String checksum() {
        return checksum;
    }

    /** {@code sha256:...} of the up section only ({@link Migration#upChecksum()}): what an applied migration is checked against. */
    public String upChecksum() {
        return upChecksum;
    }

    /** {@code sha256:...} of the down section ({@link Migration#downChecksum()}), or null without one. */
    public String downChecksum() {
        return downChecksum;
    }

    /**
     * The whole-migration checksum this migration had when it had no separate down file: what a history row
     * written before Runway recorded up and down apart holds for a migration applied before its down file was added.
     */
    public String checksumWithoutDownFile() {
        return upFileChecksum;
    }

    /** True for a migration that runs again when its checksum changes (Flyway {@code R__}, Liquibase {@code runOnChange}). */
    public boolean rerunsOnChange() {
        return rerunsOnChange;
    }

    /**
     * The file name relative to the directory, e.g. {@code 20250301120000_add_orders_status.sql}, or
     * {@code changelog.sql::author:id} for a Liquibase changeset.
     */
    public String displayName() {
        return layout == Layout.LIQUIBASE ? source.upName() + "::" + description : source.upName();
    }

    /**
     * The parsed migration (statements, directives, transaction mode), scanned on first call.
     *
     * @throws dev.runway.core.RunwayException (USAGE) naming file:line when the file is invalid
     */
    public Migration parse() {
        if (parsed == null) {
            parsed = parser.get();
        }
        return parsed;
    }

    /** True when {@link #parse()} reads the files again, as a stream: a migration too large to hold twice. */
    boolean streamed() {
        return streamed;
    }

    DirectoryListing.Source source() {
        return source;
    }
}
