package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.core.sql.ScanResult;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.internal.DirectoryListing.Format;
import dev.runway.migrate.dir.internal.DirectoryListing.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one migration's file(s) into a {@link Migration}: statements, directives, transaction modes
 * and checksum.
 *
 * <p>Native files: directives and comments, then a {@code -- runway:up} line, the up statements,
 * optionally a {@code -- runway:down} line and the down statements. Markers are line comments that
 * start their line; text that only looks like a marker inside a string, dollar-quoted body or block
 * comment is not one. Other formats: the whole file is the section, with directives at the top of the
 * up file.
 */
public final class MigrationParser {
    private MigrationParser() {
    }

    public static Migration parse(Source src, MigrationKind kind) {
        SourceText.Content up = SourceText.read(src.upFile(), src.upFile().toString());
        SourceText.Content down = src.format() == Format.NATIVE || src.downFile() == null ? null
                : SourceText.read(src.downFile(), src.downFile().toString());
        return parse(src, kind, up, down);
    }

    /** Parses contents already read (and validated) by {@link SourceText#read}; {@code downContent} null without a down file. */
    public static Migration parse(Source src, MigrationKind kind, SourceText.Content upContent, SourceText.Content downContent) {
        String where = src.upFile().toString();
        List<SqlStatement> up;
        List<SqlStatement> down;
        Directives directives;
        String downWhere;
        byte[] downBytes = null;
        if (src.format() == Format.NATIVE) {
            Sections n = parseNative(upContent.text(), where);
            up = n.up();
            down = n.down();
            directives = n.directives();
            downWhere = where;
        } else {
            Sections whole = parseWhole(upContent.text(), where, true, src);
            up = whole.up();
            directives = whole.directives();
            down = null;
            downWhere = null;
            if (src.downFile() != null) {
                downWhere = src.downFile().toString();
                downBytes = downContent.normalized();
                down = parseWhole(downContent.text(), downWhere, false, src).up();
            }
        }
        TransactionMode mode = TransactionModes.decide(up, directives, where);
        TransactionMode downMode = down == null ? null : TransactionModes.decide(down, directives, downWhere);
        String description = src.description();
        return new Migration(src.version(), description.replace('_', ' ').strip(), kind, src.upFile(),
                src.format() == Format.NATIVE ? (down == null ? null : src.upFile()) : src.downFile(),
                up, down, directives, mode, Checksums.migration(upContent.normalized(), downBytes), description, downMode);
    }

    /** What one file holds; {@code up} is the whole file for non-native formats, {@code down} null when absent. */
    private record Sections(List<SqlStatement> up, List<SqlStatement> down, Directives directives) {
    }

    private static Sections parseNative(String text, String where) {
        ScanResult all = SqlScanner.scan(text, where);
        LineComment upMarker = null;
        LineComment downMarker = null;
        List<LineComment> directiveComments = new ArrayList<>();
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
            } else if (upMarker != null) {
                throw RunwayException.usage(at + ": directives go before '-- runway:up'");
            } else {
                directiveComments.add(c);
            }
        }
        if (upMarker == null) {
            throw RunwayException.usage(where + ": no '-- runway:up' marker; add '-- runway:up' before the first statement");
        }
        if (!all.statements().isEmpty() && all.statements().get(0).tokens().get(0).offset() < upMarker.offset()) {
            throw RunwayException.usage(where + ":" + all.statements().get(0).line()
                    + ": statement before '-- runway:up'; only comments and directives go above the marker");
        }
        Directives directives = DirectiveParser.parse(directiveComments, where);
        List<SqlStatement> statements = all.statements();
        if (downMarker == null) {
            return new Sections(statements, null, directives);
        }
        int split = 0;
        while (split < statements.size() && end(statements.get(split)) <= downMarker.offset()) {
            split++;
        }
        if (split == statements.size() || statements.get(split).tokens().get(0).offset() > downMarker.offset()) {
            return new Sections(statements.subList(0, split), statements.subList(split, statements.size()), directives);
        }
        // The last up statement has no ';' and ran on past the down marker: scan the sections apart.
        return new Sections(
                SqlScanner.scan(text, lineEnd(text, upMarker.offset()), downMarker.offset(), where, upMarker.line()).statements(),
                SqlScanner.scan(text, lineEnd(text, downMarker.offset()), text.length(), where, downMarker.line()).statements(),
                directives);
    }

    /** A file that is all one section: paired, folder and Flyway up and down files. */
    private static Sections parseWhole(String text, String where, boolean upFile, Source src) {
        ScanResult all = SqlScanner.scan(text, where);
        int firstOffset = all.statements().isEmpty() ? Integer.MAX_VALUE : all.statements().get(0).tokens().get(0).offset();
        List<LineComment> directiveComments = new ArrayList<>();
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
            if (!upFile) {
                throw RunwayException.usage(at + ": directives go at the top of the up file " + src.upName());
            }
            if (c.offset() > firstOffset) {
                throw RunwayException.usage(at + ": directives go at the top of the file, before the first statement");
            }
            directiveComments.add(c);
        }
        return new Sections(all.statements(), null, upFile ? DirectiveParser.parse(directiveComments, where) : Directives.NONE);
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
    private static int lineEnd(String text, int offset) {
        for (int i = offset; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return text.length();
    }
}
