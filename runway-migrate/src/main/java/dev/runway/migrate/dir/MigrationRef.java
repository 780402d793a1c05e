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
 * <p>Not thread-safe ({@link #parse()} memoizes without locking); one engine call uses it.
 */
public final class MigrationRef {
    private final DirectoryListing.Source source;
    private final MigrationKind kind;
    private final MigrationVersion version;
    private final String description;
    private final Layout layout;
    private final String checksum;
    private final boolean rerunsOnChange;
    private final Supplier<Migration> parser;
    private Migration parsed;

    private MigrationRef(DirectoryListing.Source source, MigrationKind kind, MigrationVersion version, String description,
                         Layout layout, String checksum, boolean rerunsOnChange, Supplier<Migration> parser) {
        this.source = source;
        this.kind = kind;
        this.version = version;
        this.description = description;
        this.layout = layout;
        this.checksum = checksum;
        this.rerunsOnChange = rerunsOnChange;
        this.parser = parser;
    }

    /** A migration of one file, a pair of files or a folder, from its bytes already read (decoding waits for parse()). */
    static MigrationRef ofFiles(DirectoryListing.Source source, MigrationKind kind, FileBytes up, FileBytes down,
                                Placeholders placeholders) {
        Layout layout = layoutOf(source, up);
        String checksum = Checksums.fromHashes(up.hash(), down == null ? null : down.hash());
        return new MigrationRef(source, kind, source.version(), source.description(), layout, checksum,
                source.version().isRepeatable(), () -> {
                    SourceText.Content u = SourceText.of(up.raw(), up.normalized(), source.upFile().toString());
                    SourceText.Content d = down == null ? null : SourceText.of(down.raw(), down.normalized(), source.downFile().toString());
                    return MigrationParser.parse(source, kind, u, d, layout, placeholders);
                });
    }

    /** One changeset of a Liquibase changelog, numbered {@code version}. */
    static MigrationRef ofChangeset(DirectoryListing.Source source, MigrationKind kind, MigrationVersion version,
                                    Liquibase.Changeset cs, Placeholders placeholders) {
        String checksum = Checksums.PREFIX + Checksums.hexOf(Checksums.sha256(cs.upText().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new MigrationRef(source, kind, version, cs.name(), Layout.LIQUIBASE, checksum, cs.runOnChange(),
                () -> MigrationParser.parseChangeset(source, kind, version, cs, checksum, placeholders));
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

    /** A file's bytes: as read, normalized (what checksums cover), their SHA-256, and the runner its markers name. */
    record FileBytes(byte[] raw, byte[] normalized, byte[] hash, Dialects.Detected dialect) {
        static FileBytes read(Path file) {
            byte[] raw = SourceText.readBytes(file, file.toString());
            byte[] normalized = SourceText.normalize(raw);
            return new FileBytes(raw, normalized, Checksums.sha256(normalized), Dialects.detect(normalized));
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

    /** {@code sha256:...}, equal to {@link Migration#checksum()} of the parsed migration. */
    public String checksum() {
        return checksum;
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

    DirectoryListing.Source source() {
        return source;
    }
}
