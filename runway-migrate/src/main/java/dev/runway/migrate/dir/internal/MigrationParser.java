package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.core.sql.ScanResult;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.SqlStream;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.Layout;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.dir.Placeholders;
import dev.runway.migrate.dir.Nolint;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.TransactionPlan;
import dev.runway.migrate.dir.internal.DirectoryListing.Format;
import dev.runway.migrate.dir.internal.DirectoryListing.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one migration's file(s) into a {@link Migration}: statements, directives, transaction modes
 * and checksum.
 *
 * <p>Native files: directives and comments, then a {@code -- runway:up} line, the up statements,
 * optionally a {@code -- runway:down} line and the down statements. Markers are line comments that
 * start their line; text that only looks like a marker inside a string, dollar-quoted body or block
 * comment is not one. goose, dbmate and sql-migrate files: their own markers ({@link MarkedFiles}).
 * Paired, folder and Flyway files: the whole file is the section, with directives at the top of the
 * file. Inside a section the only directive is a nolint right before a statement ({@link InlineNolints}).
 * Flyway files get their {@code ${placeholders}} replaced first; a Diesel folder's {@code metadata.toml}
 * with {@code run_in_transaction = false} runs both directions outside a transaction.
 */
public final class MigrationParser {
    private MigrationParser() {
    }

    /** Reads and parses {@code src} (a file layout, not a Liquibase changelog). */
    public static Migration parse(Source src, MigrationKind kind) {
        SourceText.Content up = SourceText.read(src.upFile(), src.upFile().toString());
        SourceText.Content down = src.format() == Format.NATIVE || src.downFile() == null ? null
                : SourceText.read(src.downFile(), src.downFile().toString());
        return parse(src, kind, up, down, Dialects.detect(up.normalized()).layout(), Placeholders.NONE);
    }

    /**
     * Parses contents already read (and validated) by {@link SourceText#read}; {@code downContent} null without a
     * down file; {@code dialect} is what {@link Dialects#detect} found in a one-file migration (ignored otherwise).
     */
    public static Migration parse(Source src, MigrationKind kind, SourceText.Content upContent, SourceText.Content downContent,
                                  Layout dialect, Placeholders placeholders) {
        byte[] downBytes = downContent == null ? null : downContent.normalized();
        byte[] upHash = Checksums.sha256(upContent.normalized());
        int downOffset = src.format() == Format.NATIVE ? Dialects.detect(upContent.normalized()).downOffset() : -1;
        String[] checksums = {Checksums.migration(upContent.normalized(), downBytes), Checksums.up(upContent.normalized(), upHash, downOffset),
            Checksums.down(upContent.normalized(), downOffset, downBytes == null ? null : Checksums.sha256(downBytes))};
        return parse(src, kind, upContent, downContent, dialect, checksums, placeholders);
    }

    /**
     * {@link #parse(Source, MigrationKind, SourceText.Content, SourceText.Content, Layout, Placeholders)} with the
     * migration's, its up section's and its down section's checksums already computed from these contents (by
     * {@code MigrationRef}, which hashed the files when it read them: hashing them again costs a cold JVM
     * about a tenth of loading 1,000 files).
     */
    public static Migration parse(Source src, MigrationKind kind, SourceText.Content upContent, SourceText.Content downContent,
                                  Layout dialect, String[] checksums, Placeholders placeholders) {
        return build(src, kind, dialect, checksums, new InMemory(src, upContent, downContent, placeholders), upContent);
    }

    /**
     * Scans the up ({@code true}) or down file of contents already read. A class, not a lambda: a cold JVM pays for
     * linking each lambda's call site, and loading a directory (what release and check --static do first) links none.
     */
    private static final class InMemory implements java.util.function.Function<Boolean, Scanned> {
        private final Source src;
        private final SourceText.Content upContent;
        private final SourceText.Content downContent;
        private final Placeholders placeholders;

        InMemory(Source src, SourceText.Content upContent, SourceText.Content downContent, Placeholders placeholders) {
            this.src = src;
            this.upContent = upContent;
            this.downContent = downContent;
            this.placeholders = placeholders;
        }

        @Override
        public Scanned apply(Boolean upFile) {
            SourceText.Content c = upFile ? upContent : downContent;
            Path file = upFile ? src.upFile() : src.downFile();
            return Scanned.of(substitute(c.text(), file, src.format(), placeholders), file.toString());
        }
    }

    /** Files from this many bytes on are read as a stream by {@link #parseStreamed}, when {@link #streamable}. */
    public static final int LARGE_FILE = 4 << 20;

    /**
     * Whether {@link #parseStreamed} can read this migration: Runway's own files, paired and folder files, and Flyway
     * files with no placeholder to replace. goose, dbmate and sql-migrate files and Liquibase changelogs are read whole.
     */
    public static boolean streamable(Source src, Layout layout, boolean placeholdersToReplace) {
        switch (src.format()) {
            case NATIVE:
                return layout == Layout.RUNWAY;
            case PAIRED:
            case FOLDER:
                return true;
            case FLYWAY:
                return !placeholdersToReplace;
            default:
                return false;
        }
    }

    /**
     * {@link #parse} for a migration too large to hold twice: each file is read as a stream, its statements keep
     * their text but not their tokens ({@link SqlStatement#withoutTokens()}), so memory is about the statements' text
     * rather than ten times the file. The bytes read must hash to {@code upHash} and {@code downHash}, what the
     * checksums were computed from.
     *
     * @param checksums the migration's, its up section's and its down section's checksums, as already computed
     */
    public static Migration parseStreamed(Source src, MigrationKind kind, Layout dialect, String[] checksums, byte[] upHash,
                                          byte[] downHash) {
        return build(src, kind, dialect, checksums, upFile -> stream(upFile ? src.upFile() : src.downFile(), upFile ? upHash : downHash),
                null);
    }

    /** Scans {@code file} as a stream: statements without tokens, only the directive comments, no text kept. */
    private static Scanned stream(Path file, byte[] expectedHash) {
        String where = file.toString();
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        List<SqlStatement> statements = new ArrayList<>();
        List<LineComment> comments = new ArrayList<>();
        int[] starts = new int[1024];
        int[] ends = new int[1024];
        try (java.io.Reader in = SourceText.openNormalized(file, digest)) {
            SqlStream stream = new SqlStream(in, where, 1, 1 << 16);
            for (SqlStream.Item it = stream.next(); it != null; it = stream.next()) {
                if (it.comment() != null) {
                    if (it.comment().text().startsWith(DirectiveParser.PREFIX)) {
                        comments.add(it.comment());
                    }
                    continue;
                }
                int n = statements.size();
                if (n == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, n * 2);
                    ends = java.util.Arrays.copyOf(ends, n * 2);
                }
                starts[n] = it.start();
                ends[n] = it.end();
                statements.add(it.statement().withoutTokens());
            }
        } catch (java.io.UncheckedIOException | java.io.IOException e) {
            Throwable cause = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
            if (cause instanceof java.nio.charset.CharacterCodingException) {
                // Rare, so found only now: the exact offset from the bytes, as the in-memory path reports it.
                int at = SourceText.firstMalformed(SourceText.readBytes(file, where));
                throw RunwayException.usage(where + ": not valid UTF-8 (byte offset " + at + "); save the file as UTF-8");
            }
            throw RunwayException.usage(where + ": cannot read file (" + cause + ")");
        }
        if (!java.util.Arrays.equals(digest.digest(), expectedHash)) {
            throw RunwayException.usage(where + ": changed while Runway was reading it; run again");
        }
        int n = statements.size();
        return new Scanned(statements, java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n), comments, null);
    }

    /**
     * The migration from its sections: {@code scan.apply(true)} scans the up file, {@code scan.apply(false)} the down
     * file; {@code upContent} is the up file's content for goose, dbmate and sql-migrate files (null when streamed).
     */
    private static Migration build(Source src, MigrationKind kind, Layout dialect, String[] checksums,
                                   java.util.function.Function<Boolean, Scanned> scan, SourceText.Content upContent) {
        String where = src.upFile().toString();
        List<SqlStatement> up;
        List<SqlStatement> down;
        Directives directives;
        Directives downDirectives;
        Map<Integer, List<Nolint>> upNolint;
        Map<Integer, List<Nolint>> downNolint;
        String downWhere;
        boolean upNoTx = false;
        boolean downNoTx = false;
        Layout layout;
        if (src.format() == Format.NATIVE && dialect != Layout.RUNWAY) {
            MarkedFiles.Parsed p = MarkedFiles.parse(upContent.text(), where, dialect);
            up = p.up();
            down = p.down();
            directives = p.directives();
            downDirectives = directives;
            upNolint = p.upNolint();
            downNolint = p.downNolint();
            downWhere = where;
            upNoTx = p.upNoTransaction();
            downNoTx = p.downNoTransaction();
            layout = dialect;
        } else if (src.format() == Format.NATIVE) {
            Sections n = parseNative(scan.apply(true), where);
            up = n.up();
            down = n.down();
            directives = n.directives();
            downDirectives = directives; // one file: its header covers both sections
            upNolint = n.upNolint();
            downNolint = n.downNolint();
            downWhere = where;
            layout = Layout.RUNWAY;
        } else {
            layout = src.format() == Format.FLYWAY ? Layout.FLYWAY : src.format() == Format.FOLDER ? Layout.DIESEL : Layout.GOLANG_MIGRATE;
            Sections whole = parseWhole(scan.apply(true), where, true, src);
            up = whole.up();
            directives = whole.directives();
            upNolint = whole.upNolint();
            down = null;
            downNolint = Map.of();
            downWhere = null;
            downDirectives = Directives.NONE;
            if (src.downFile() != null) {
                downWhere = src.downFile().toString();
                Sections downSection = parseWhole(scan.apply(false), downWhere, false, src);
                down = downSection.up();
                downNolint = downSection.upNolint();
                downDirectives = downSection.directives(); // a down file decides its own transaction mode
            }
            if (src.format() == Format.FOLDER && !DieselMetadata.runInTransaction(src.upFile().getParent())) {
                upNoTx = true;
                downNoTx = true;
            }
        }
        TransactionPlan upPlan = TransactionModes.decideWithUnits(up, upNoTx || directives.transaction() == TransactionMode.NONE, where);
        TransactionPlan downPlan = null;
        String downProblem = null;
        if (down != null) {
            try {
                downPlan = TransactionModes.decideWithUnits(down, downNoTx || downDirectives.transaction() == TransactionMode.NONE,
                        downWhere);
            } catch (RunwayException e) {
                if (layout == Layout.RUNWAY) {
                    throw e;
                }
                downProblem = e.getMessage(); // another runner never checked its downs: say so when it is needed
                downPlan = new TransactionPlan(TransactionMode.TRANSACTIONAL, List.of());
            }
        }
        String description = src.description();
        return new Migration(src.version(), description.replace('_', ' ').strip(), kind, src.upFile(),
                src.format() == Format.NATIVE ? (down == null ? null : src.upFile()) : src.downFile(),
                up, down, directives, upPlan.mode(), checksums[0], description,
                downPlan == null ? null : downPlan.mode(), upNolint, downNolint, upPlan.units(),
                downPlan == null ? List.of() : downPlan.units(), layout, src.version().isRepeatable(),
                checksums[1], checksums[2], downProblem);
    }

    /**
     * One Liquibase changeset as a migration; {@code checksum} (its up lines, rollback lines left out) and
     * {@code downChecksum} (its rollback lines, null without) are computed by the caller. Its SQL keeps the
     * changelog's line numbers, so errors name {@code file:line}.
     */
    public static Migration parseChangeset(Source src, MigrationKind kind, MigrationVersion version, Liquibase.Changeset cs,
                                           String checksum, String downChecksum, Placeholders placeholders) {
        String where = src.upFile().toString();
        String fileName = src.upFile().getFileName().toString();
        List<SqlStatement> up = SqlScanner.scan(placeholders.apply(cs.upText(), where, fileName, false), where, cs.line()).statements();
        List<SqlStatement> down = cs.downText() == null ? null
                : SqlScanner.scan(placeholders.apply(cs.downText(), where, fileName, false), where, cs.line()).statements();
        TransactionPlan upPlan = TransactionModes.decideWithUnits(up, !cs.runInTransaction(), where);
        TransactionPlan downPlan = null;
        String downProblem = null;
        if (down != null) {
            try {
                downPlan = TransactionModes.decideWithUnits(down, !cs.runInTransaction(), where);
            } catch (RunwayException e) {
                downProblem = e.getMessage();
                downPlan = new TransactionPlan(TransactionMode.TRANSACTIONAL, List.of());
            }
        }
        return new Migration(version, cs.name(), kind, src.upFile(), down == null ? null : src.upFile(), up, down, Directives.NONE,
                upPlan.mode(), checksum, cs.name(), downPlan == null ? null : downPlan.mode(), Map.of(), Map.of(), upPlan.units(),
                downPlan == null ? List.of() : downPlan.units(), Layout.LIQUIBASE, cs.runOnChange(), checksum, downChecksum, downProblem);
    }

    /** Flyway files get their {@code ${placeholders}} replaced (strictly); other layouts are run as written. */
    private static String substitute(String text, Path file, Format format, Placeholders placeholders) {
        return format == Format.FLYWAY ? placeholders.apply(text, file.toString(), file.getFileName().toString(), true) : text;
    }

    /**
     * What one file holds; {@code up} is the whole file for non-native formats, {@code down} null when
     * absent; the nolint maps are keyed by statement index in {@code up} and {@code down}.
     */
    private record Sections(List<SqlStatement> up, List<SqlStatement> down, Directives directives,
                            Map<Integer, List<Nolint>> upNolint, Map<Integer, List<Nolint>> downNolint) {
    }

    /**
     * A section's scan: its statements with the text offsets where each starts and ends, and its line comments
     * (only the directives when streamed). {@code text} is null when the file was streamed and is not held.
     */
    private record Scanned(List<SqlStatement> statements, int[] starts, int[] ends, List<LineComment> comments, String text) {
        static Scanned of(String text, String where) {
            ScanResult all = SqlScanner.scan(text, where);
            List<SqlStatement> st = all.statements();
            int[] starts = new int[st.size()];
            int[] ends = new int[st.size()];
            for (int i = 0; i < st.size(); i++) {
                starts[i] = st.get(i).tokens().get(0).offset();
                ends[i] = end(st.get(i));
            }
            return new Scanned(st, starts, ends, all.comments(), text);
        }

        /** Offsets of the statements from {@code from} on, for the nolints of a section that starts there. */
        java.util.function.IntUnaryOperator startOf(int from) {
            return new Offsets(starts, from);
        }

        java.util.function.IntUnaryOperator endOf(int from) {
            return new Offsets(ends, from);
        }
    }

    /** {@code i -> offsets[from + i]}, as a class: no lambda call site to link in a cold JVM. */
    private static final class Offsets implements java.util.function.IntUnaryOperator {
        private final int[] offsets;
        private final int from;

        Offsets(int[] offsets, int from) {
            this.offsets = offsets;
            this.from = from;
        }

        @Override
        public int applyAsInt(int i) {
            return offsets[from + i];
        }
    }

    private static Sections parseNative(Scanned all, String where) {
        LineComment upMarker = null;
        LineComment downMarker = null;
        List<LineComment> directiveComments = new ArrayList<>();
        List<LineComment> upInline = new ArrayList<>();
        List<LineComment> downInline = new ArrayList<>();
        for (LineComment c : all.comments()) {
            if (!c.text().startsWith(DirectiveParser.PREFIX)) {
                continue;
            }
            String name = DirectiveParser.name(c);
            String at = where + ":" + c.line();
            if (name.equals("up") || name.equals("down")) {
                checkMarker(c, name, at);
                if (name.equals("up")) {
                    if (upMarker != null) {
                        throw RunwayException.usage(at + ": second '-- runway:up' (the first is on line " + upMarker.line() + ")");
                    }
                    upMarker = c;
                } else {
                    if (upMarker == null) {
                        throw RunwayException.usage(at + ": '-- runway:down' before '-- runway:up'; the up section comes first");
                    }
                    if (downMarker != null) {
                        throw RunwayException.usage(at + ": second '-- runway:down' (the first is on line "
                                + downMarker.line() + ")");
                    }
                    downMarker = c;
                }
            } else if (upMarker != null && name.equals("nolint")) {
                (downMarker == null ? upInline : downInline).add(c);
            } else if (upMarker != null) {
                throw InlineNolints.misplaced(c, at, "in the header, before '-- runway:up'");
            } else {
                directiveComments.add(c);
            }
        }
        if (upMarker == null) {
            throw RunwayException.usage(where + ": no '-- runway:up' marker; add '-- runway:up' before the first statement");
        }
        if (!all.statements().isEmpty() && all.starts()[0] < upMarker.offset()) {
            throw RunwayException.usage(where + ":" + all.statements().get(0).line()
                    + ": statement before '-- runway:up'; only comments and directives go above the marker");
        }
        Directives directives = DirectiveParser.parse(directiveComments, where);
        List<SqlStatement> statements = all.statements();
        if (downMarker == null) {
            // the scan's offsets, not the statements' tokens: a streamed file's statements keep none
            return new Sections(statements, null, directives,
                    InlineNolints.attach(upInline, statements, all.startOf(0), all.endOf(0), "up", where), Map.of());
        }
        int split = 0;
        while (split < statements.size() && all.ends()[split] <= downMarker.offset()) {
            split++;
        }
        if (split == statements.size() || all.starts()[split] > downMarker.offset()) {
            List<SqlStatement> up = statements.subList(0, split);
            List<SqlStatement> down = statements.subList(split, statements.size());
            return new Sections(up, down, directives, InlineNolints.attach(upInline, up, all.startOf(0), all.endOf(0), "up", where),
                    InlineNolints.attach(downInline, down, all.startOf(split), all.endOf(split), "down", where));
        }
        // The last up statement has no ';' and ran on past the down marker: scan the sections apart.
        String text = all.text();
        if (text == null) {
            throw RunwayException.usage(where + ":" + statements.get(split).line() + ": the last up statement has no ';' and runs"
                    + " on past '-- runway:down' (line " + downMarker.line() + "); end it with ';'");
        }
        List<SqlStatement> up = SqlScanner.scan(text, lineEnd(text, upMarker.offset()), downMarker.offset(), where, upMarker.line())
                .statements();
        List<SqlStatement> down = SqlScanner.scan(text, lineEnd(text, downMarker.offset()), text.length(), where, downMarker.line())
                .statements();
        return new Sections(up, down, directives, InlineNolints.attach(upInline, up, "up", where),
                InlineNolints.attach(downInline, down, "down", where));
    }

    /** A file that is all one section: paired, folder and Flyway up and down files. */
    private static Sections parseWhole(Scanned all, String where, boolean upFile, Source src) {
        int firstOffset = all.statements().isEmpty() ? Integer.MAX_VALUE : all.starts()[0];
        List<LineComment> directiveComments = new ArrayList<>();
        List<LineComment> inline = new ArrayList<>();
        for (LineComment c : all.comments()) {
            if (!c.text().startsWith(DirectiveParser.PREFIX)) {
                continue;
            }
            String name = DirectiveParser.name(c);
            String at = where + ":" + c.line();
            boolean marker = name.equals("up") || name.equals("down");
            if (marker && name.equals(upFile ? "up" : "down")) {
                // An optional label: the whole file is the section anyway.
                checkMarker(c, name, at);
                if (c.offset() > firstOffset) {
                    throw RunwayException.usage(at + ": '-- runway:" + name + "' after the first statement; the whole file is the "
                            + name + " migration, so leave the marker out or put it at the top");
                }
                continue;
            }
            if (marker) {
                throw RunwayException.usage(at + ": '-- runway:" + name + "' does not belong in this file; "
                        + (upFile ? "put the down migration in " + downName(src)
                        : "this is the down file of " + src.upName()));
            }
            if (name.equals("nolint") && (!upFile || c.offset() > firstOffset)) {
                inline.add(c); // a down file has no header: every nolint in it covers one statement
                continue;
            }
            if (!upFile && !(name.equals("transaction") && c.offset() < firstOffset)) {
                throw InlineNolints.misplaced(c, at, name.equals("transaction")
                        ? "at the top of this down file, before the first statement" : "at the top of the up file " + src.upName());
            }
            if (c.offset() > firstOffset) {
                throw InlineNolints.misplaced(c, at, "at the top of the file, before the first statement");
            }
            directiveComments.add(c);
        }
        return new Sections(all.statements(), null, DirectiveParser.parse(directiveComments, where),
                InlineNolints.attach(inline, all.statements(), all.startOf(0), all.endOf(0), upFile ? "up" : "down", where), Map.of());
    }

    private static String downName(Source src) {
        if (src.downName() != null) {
            return src.downName();
        }
        switch (src.format()) {
            case PAIRED:
                return src.upName().replace(".up.sql", ".down.sql");
            case FOLDER:
                return src.upName().replace("/up.sql", "/down.sql");
            default:
                return "U" + src.upName().substring(1);
        }
    }

    private static void checkMarker(LineComment c, String name, String at) {
        if (!c.text().equals(DirectiveParser.PREFIX + name)) {
            throw RunwayException.usage(at + ": write the marker alone: '-- runway:" + name + "'");
        }
        if (!c.atLineStart()) {
            throw RunwayException.usage(at + ": '-- runway:" + name + "' must be on a line of its own");
        }
    }

    private static int end(SqlStatement s) {
        dev.runway.core.sql.Token last = s.tokens().get(s.tokens().size() - 1);
        return last.offset() + last.text().length();
    }

    /** Index of the line break ending the line that contains {@code offset} (or the end of the text). */
    static int lineEnd(String text, int offset) {
        for (int i = offset; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }
}
