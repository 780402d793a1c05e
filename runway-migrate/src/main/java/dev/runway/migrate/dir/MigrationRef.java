package dev.runway.migrate.dir;

import dev.runway.migrate.dir.internal.Checksums;
import dev.runway.migrate.dir.internal.DirectoryListing;
import dev.runway.migrate.dir.internal.MigrationParser;
import dev.runway.migrate.dir.internal.SourceText;
import java.nio.file.Path;

/**
 * A migration file read and checksummed but not yet parsed: what planning needs (version, name,
 * checksum) without scanning its SQL. {@link #parse()} scans it on demand, once. A release that finds
 * nothing pending never parses applied files, which is most of a no-op's cost at 1,000 migrations.
 *
 * <p>Not thread-safe ({@link #parse()} memoizes without locking); one engine call uses it.
 */
public final class MigrationRef {
    private final DirectoryListing.Source source;
    private final MigrationKind kind;
    private final byte[] upRaw;
    private final byte[] downRaw;
    private final byte[] upNormalized;
    private final byte[] downNormalized;
    private final byte[] upHash;
    private final byte[] downHash;
    private final String checksum;
    private Migration parsed;

    MigrationRef(DirectoryListing.Source source, MigrationKind kind) {
        this.source = source;
        this.kind = kind;
        // Bytes only: decoding (and UTF-8 validation) waits for parse(), which only pending files need.
        this.upRaw = SourceText.readBytes(source.upFile(), source.upFile().toString());
        this.downRaw = source.downFile() == null ? null : SourceText.readBytes(source.downFile(), source.downFile().toString());
        this.upNormalized = SourceText.normalize(upRaw);
        this.downNormalized = downRaw == null ? null : SourceText.normalize(downRaw);
        this.upHash = Checksums.sha256(upNormalized);
        this.downHash = downNormalized == null ? null : Checksums.sha256(downNormalized);
        this.checksum = Checksums.fromHashes(upHash, downHash);
    }

    public MigrationVersion version() {
        return source.version();
    }

    /** The description as written in the file name ("add_orders_status"). */
    public String description() {
        return source.description();
    }

    public MigrationKind kind() {
        return kind;
    }

    /** The up file (or the single file). */
    public Path file() {
        return source.upFile();
    }

    /** {@code sha256:...}, equal to {@link Migration#checksum()} of the parsed migration. */
    public String checksum() {
        return checksum;
    }

    /** The file name relative to the directory, e.g. {@code 20250301120000_add_orders_status.sql}. */
    public String displayName() {
        return source.upName();
    }

    /**
     * The parsed migration (statements, directives, transaction mode), scanned on first call.
     *
     * @throws dev.runway.core.RunwayException (USAGE) naming file:line when the file is invalid
     */
    public Migration parse() {
        if (parsed == null) {
            SourceText.Content up = SourceText.of(upRaw, upNormalized, source.upFile().toString());
            SourceText.Content down = downRaw == null ? null : SourceText.of(downRaw, downNormalized, source.downFile().toString());
            parsed = MigrationParser.parse(source, kind, up, down);
        }
        return parsed;
    }

    DirectoryListing.Source source() {
        return source;
    }

    byte[] upHash() {
        return upHash;
    }

    byte[] downHash() {
        return downHash;
    }
}
