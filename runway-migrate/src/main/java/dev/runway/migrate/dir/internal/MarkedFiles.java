package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.core.sql.ScanResult;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.Layout;
import dev.runway.migrate.dir.Nolint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one-file migrations written for goose, dbmate and sql-migrate, with their own section markers:
 * <ul>
 *   <li>goose (https://pressly.github.io/goose/documentation/annotations/): {@code -- +goose Up}, {@code Down},
 *       {@code StatementBegin}/{@code StatementEnd}, {@code NO TRANSACTION} (the whole file, both directions),
 *       any case;</li>
 *   <li>dbmate: {@code -- migrate:up}, {@code -- migrate:down}, each with an optional {@code transaction:false};</li>
 *   <li>sql-migrate: {@code -- +migrate Up}, {@code -- +migrate Down}, each with an optional
 *       {@code notransaction}, and {@code StatementBegin}/{@code StatementEnd}.</li>
 * </ul>
 * Markers are line comments that start their line. Statements are split by Runway's scanner (which
 * understands dollar quotes, so it needs no StatementBegin/End); every marker is also a hard boundary, so
 * a StatementBegin/End block without a closing {@code ;} never runs into the next statement, as in the
 * runners. Runway directives ({@code -- runway:nolint ...}, {@code -- runway:lock-timeout ...}) may sit above
 * the up marker, and nolints right before a statement. No down marker means no down section. Refused
 * with {@code file:line}: a statement before the up marker, a second up or down marker, a down marker
 * before the up marker, unbalanced StatementBegin/End, an unknown goose annotation, goose
 * {@code ENVSUB ON} (environment substitution) and more than one dbmate section. Stateless.
 */
final class MarkedFiles {
    /** What a file holds. Nolint maps are keyed by statement index; {@code down} null without a down marker. */
    record Parsed(List<SqlStatement> up, List<SqlStatement> down, Directives directives, Map<Integer, List<Nolint>> upNolint,
                  Map<Integer, List<Nolint>> downNolint, boolean upNoTransaction, boolean downNoTransaction) {
    }

    private enum Kind { UP, DOWN, BEGIN, END, NO_TRANSACTION }

    private record Marker(Kind kind, LineComment comment, boolean noTransaction) {
    }

    private MarkedFiles() {
    }

    static Parsed parse(String text, String where, Layout layout) {
        ScanResult all = SqlScanner.scan(text, where);
        List<Marker> markers = new ArrayList<>();
        List<LineComment> header = new ArrayList<>();
        List<LineComment> upInline = new ArrayList<>();
        List<LineComment> downInline = new ArrayList<>();
        Marker up = null;
        Marker down = null;
        Marker open = null;
        boolean fileNoTx = false;
        for (LineComment c : all.comments()) {
            String at = where + ":" + c.line();
            if (c.text().startsWith(DirectiveParser.PREFIX)) {
                String name = DirectiveParser.name(c);
                if (name.equals("up") || name.equals("down")) {
                    throw RunwayException.usage(at + ": '-- runway:" + name + "' does not belong in a " + layout.label()
                            + " file; its own markers (" + markerName(layout, Kind.UP) + ", " + markerName(layout, Kind.DOWN)
                            + ") already split it");
                }
                if (up == null) {
                    header.add(c);
                } else if (name.equals("nolint")) {
                    (down == null ? upInline : downInline).add(c);
                } else {
                    throw InlineNolints.misplaced(c, at, "above " + markerName(layout, Kind.UP));
                }
                continue;
            }
            Marker m = c.atLineStart() ? marker(c, layout, at) : null;
            if (m == null) {
                continue;
            }
            switch (m.kind()) {
                case UP:
                    if (up != null) {
                        throw RunwayException.usage(at + ": second " + markerName(layout, Kind.UP) + " (the first is on line "
                                + up.comment().line() + "); Runway reads one up and one down section per file");
                    }
                    up = m;
                    break;
                case DOWN:
                    if (up == null) {
                        throw RunwayException.usage(at + ": " + markerName(layout, Kind.DOWN) + " before "
                                + markerName(layout, Kind.UP) + "; the up section comes first");
                    }
                    if (down != null) {
                        throw RunwayException.usage(at + ": second " + markerName(layout, Kind.DOWN) + " (the first is on line "
                                + down.comment().line() + ")");
                    }
                    if (open != null) {
                        throw unclosed(where, open, layout);
                    }
                    down = m;
                    break;
                case BEGIN:
                    if (up == null || open != null) {
                        throw RunwayException.usage(at + ": " + markerName(layout, Kind.BEGIN) + (open != null
                                ? " inside the statement opened on line " + open.comment().line() : " before " + markerName(layout, Kind.UP)));
                    }
                    open = m;
                    break;
                case END:
                    if (open == null) {
                        throw RunwayException.usage(at + ": " + markerName(layout, Kind.END) + " without "
                                + markerName(layout, Kind.BEGIN));
                    }
                    open = null;
                    break;
                default:
                    fileNoTx = true;
                    continue;
            }
            markers.add(m);
        }
        if (open != null) {
            throw unclosed(where, open, layout);
        }
        if (up == null) {
            throw RunwayException.usage(where + ": no " + markerName(layout, Kind.UP) + " marker; " + layout.label()
                    + " files start their up section with it");
        }
        if (!all.statements().isEmpty() && all.statements().get(0).tokens().get(0).offset() < up.comment().offset()) {
            throw RunwayException.usage(where + ":" + all.statements().get(0).line() + ": statement before "
                    + markerName(layout, Kind.UP) + "; only comments go above it");
        }
        int upEnd = down == null ? text.length() : down.comment().offset();
        List<SqlStatement> upStatements = segments(text, up.comment(), upEnd, markers, where);
        List<SqlStatement> downStatements = down == null ? null : segments(text, down.comment(), text.length(), markers, where);
        Directives directives = DirectiveParser.parse(header, where);
        return new Parsed(upStatements, downStatements, directives, InlineNolints.attach(upInline, upStatements, "up", where),
                down == null ? Map.of() : InlineNolints.attach(downInline, downStatements, "down", where),
                fileNoTx || up.noTransaction(), fileNoTx || down != null && down.noTransaction());
    }

    /** The statements from the end of {@code from}'s line to {@code end}, split at every marker in between. */
    private static List<SqlStatement> segments(String text, LineComment from, int end, List<Marker> markers, String where) {
        List<SqlStatement> out = new ArrayList<>();
        int start = MigrationParser.lineEnd(text, from.offset());
        int line = from.line();
        for (Marker m : markers) {
            int at = m.comment().offset();
            if (at <= from.offset() || at >= end) {
                continue;
            }
            out.addAll(SqlScanner.scan(text, start, at, where, line).statements());
            start = MigrationParser.lineEnd(text, at);
            line = m.comment().line();
        }
        out.addAll(SqlScanner.scan(text, start, end, where, line).statements());
        return out;
    }

    /** The marker {@code c} is in {@code layout}'s syntax, or null for an ordinary comment. */
    private static Marker marker(LineComment c, Layout layout, String at) {
        String t = c.text();
        switch (layout) {
            case GOOSE: {
                if (!t.startsWith("+goose")) {
                    return null;
                }
                String a = t.substring("+goose".length()).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
                switch (a) {
                    case "up":
                        return new Marker(Kind.UP, c, false);
                    case "down":
                        return new Marker(Kind.DOWN, c, false);
                    case "statementbegin":
                        return new Marker(Kind.BEGIN, c, false);
                    case "statementend":
                        return new Marker(Kind.END, c, false);
                    case "no transaction":
                        return new Marker(Kind.NO_TRANSACTION, c, true);
                    case "envsub on":
                        throw RunwayException.usage(at + ": '-- +goose ENVSUB ON' (environment substitution) is not supported;"
                                + " write the values into the file");
                    case "envsub off":
                        return null;
                    default:
                        throw RunwayException.usage(at + ": unknown goose annotation '" + t + "' (known: Up, Down, StatementBegin,"
                                + " StatementEnd, NO TRANSACTION)");
                }
            }
            case DBMATE: {
                boolean isUp = t.equals("migrate:up") || t.startsWith("migrate:up ") || t.startsWith("migrate:up\t");
                boolean isDown = t.equals("migrate:down") || t.startsWith("migrate:down ") || t.startsWith("migrate:down\t");
                if (!isUp && !isDown) {
                    return null;
                }
                boolean noTx = false;
                for (String opt : t.substring(isUp ? "migrate:up".length() : "migrate:down".length()).strip().split("\\s+")) {
                    String[] kv = opt.split(":", -1);
                    if (kv.length == 2 && kv[0].equals("transaction")) {
                        noTx = kv[1].equals("false");
                    }
                }
                return new Marker(isUp ? Kind.UP : Kind.DOWN, c, noTx);
            }
            default: { // SQL_MIGRATE: "-- +migrate <Command> [options]", case-sensitive, unknown commands ignored as sql-migrate does
                if (!t.startsWith("+migrate ")) {
                    return null;
                }
                String[] f = t.substring("+migrate ".length()).strip().split("\\s+");
                boolean noTx = false;
                for (int i = 1; i < f.length; i++) {
                    noTx |= f[i].equals("notransaction");
                }
                switch (f[0]) {
                    case "Up":
                        return new Marker(Kind.UP, c, noTx);
                    case "Down":
                        return new Marker(Kind.DOWN, c, noTx);
                    case "StatementBegin":
                        return new Marker(Kind.BEGIN, c, false);
                    case "StatementEnd":
                        return new Marker(Kind.END, c, false);
                    default:
                        return null;
                }
            }
        }
    }

    private static RunwayException unclosed(String where, Marker open, Layout layout) {
        return RunwayException.usage(where + ":" + open.comment().line() + ": " + markerName(layout, Kind.BEGIN) + " without "
                + markerName(layout, Kind.END));
    }

    static String markerName(Layout layout, Kind kind) {
        String word = switch (kind) {
            case UP -> layout == Layout.DBMATE ? "up" : "Up";
            case DOWN -> layout == Layout.DBMATE ? "down" : "Down";
            case BEGIN -> "StatementBegin";
            case END -> "StatementEnd";
            default -> "NO TRANSACTION";
        };
        return switch (layout) {
            case GOOSE -> "'-- +goose " + word + "'";
            case DBMATE -> "'-- migrate:" + word + "'";
            default -> "'-- +migrate " + word + "'";
        };
    }
}
