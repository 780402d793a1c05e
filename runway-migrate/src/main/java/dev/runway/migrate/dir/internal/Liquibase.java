package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Liquibase formatted SQL changelog (https://docs.liquibase.com/concepts/changelogs/sql-format.html)
 * into its changesets, with the line rules of Liquibase's own parser: the first line is
 * {@code --liquibase formatted sql}; {@code --changeset author:id attribute:value ...} starts a changeset;
 * {@code --rollback <sql>} lines and {@code /* liquibase rollback ... *}{@code /} blocks are its rollback;
 * {@code --comment:} and {@code --validCheckSum} are metadata. Attributes Runway honours:
 * {@code runInTransaction:false}, {@code splitStatements:false} (the statements run one by one anyway, which
 * PostgreSQL treats the same), {@code endDelimiter:X} (a line that is only X ends a statement),
 * {@code runOnChange:true} (runs again when its checksum changes), {@code dbms} (a changeset for other
 * databases is skipped), {@code ignore:true} (skipped). {@code context}, {@code labels} and
 * {@code logicalFilePath} are read and not needed (every changeset runs, as with no context given).
 * Refused with {@code file:line}: a changeset without {@code author:id}, an empty one, {@code runAlways},
 * {@code failOnError:false}, preconditions, {@code --property}, {@code --ignoreLines}, and a rollback that
 * names another changeset. Stateless.
 */
public final class Liquibase {
    private static final Pattern HEADER = Pattern.compile("\\s*--\\s*liquibase\\s*formatted.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET = Pattern.compile("\\s*--[\\s]*changeset\\s+(\"[^\"]+\"|[^:]+):\\s*(\"[^\"]+\"|\\S+)(.*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET_ANY = Pattern.compile("\\s*-{1,2}[\\s]*changeset\\b.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK = Pattern.compile("\\s*--[\\s]*rollback (.*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK_START = Pattern.compile("\\s*/\\*\\s*liquibase\\s*rollback\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK_END = Pattern.compile("(.*?)\\*/\\s*");
    private static final Pattern META = Pattern.compile("\\s*--[\\s]*(comments?:?|validCheckSum:?)( .*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNSUPPORTED = Pattern.compile("\\s*--[\\s]*(preconditions|precondition-\\S*|property|ignoreLines:\\S*)\\b.*",
            Pattern.CASE_INSENSITIVE);

    /**
     * One changeset.
     *
     * @param line              the line of its {@code --changeset} comment
     * @param upText            its lines from the {@code --changeset} line on, rollback and metadata lines blanked (line
     *                          numbers stay those of the file: the text starts at {@code line})
     * @param downText          the same lines with only the rollback SQL kept, or null when it has no rollback
     * @param runInTransaction  false for {@code runInTransaction:false}
     * @param endDelimiter      the {@code endDelimiter} when it is not {@code ;}, else null
     * @param runOnChange       {@code runOnChange:true}
     * @param skipped           for another database ({@code dbms}) or {@code ignore:true}: not a migration here
     */
    public record Changeset(String author, String id, int line, String upText, String downText, boolean runInTransaction,
                            String endDelimiter, boolean runOnChange, boolean skipped) {
        /** {@code author:id}, as Liquibase names a changeset. */
        public String name() {
            return author + ":" + id;
        }
    }

    private Liquibase() {
    }

    /** True when the first line of {@code file} is the formatted SQL header. */
    static boolean isChangelog(Path file) {
        byte[] head = new byte[512];
        int n;
        try (FileInputStream in = new FileInputStream(file.toString())) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, file + ": cannot read file (" + e + ")", e);
        }
        int start = n >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        int end = start;
        while (end < n && head[end] != '\n' && head[end] != '\r') {
            end++;
        }
        return HEADER.matcher(new String(head, start, end - start, StandardCharsets.UTF_8)).matches();
    }

    /** The changesets of {@code text} (normalized: LF line ends), in file order; {@code where} names the file. */
    public static List<Changeset> parse(String text, String where) {
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !HEADER.matcher(lines[0]).matches()) {
            throw RunwayException.usage(where + ":1: a Liquibase formatted SQL changelog starts with '--liquibase formatted sql'");
        }
        List<Changeset> out = new ArrayList<>();
        Open cur = null;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int lineNo = i + 1;
            String at = where + ":" + lineNo;
            Matcher cs = CHANGESET.matcher(l);
            if (cs.matches()) {
                if (cur != null) {
                    out.add(cur.close(where));
                }
                cur = open(cs, l, lineNo, at);
                continue;
            }
            if (CHANGESET_ANY.matcher(l).matches()) {
                throw RunwayException.usage(at + ": a changeset needs an author and an id: '--changeset <author>:<id>'"
                        + " (no space after the colon)");
            }
            if (UNSUPPORTED.matcher(l).matches()) {
                String what = l.strip().substring(2).strip().split("[\\s:]", 2)[0];
                throw RunwayException.usage(at + ": Liquibase '" + what + "' is not supported by Runway; "
                        + "express it in SQL or drop it (see docs/adoption.md)");
            }
            if (cur == null) {
                if (!l.isBlank() && !l.strip().startsWith("--") && !HEADER.matcher(l).matches()) {
                    throw RunwayException.usage(at + ": SQL before the first '--changeset' (Liquibase runs only changesets)");
                }
                continue;
            }
            Matcher rb = ROLLBACK.matcher(l);
            if (rb.matches()) {
                String sql = rb.group(1);
                if (sql.strip().matches("(?i)changeset(id|author|path):.*")) {
                    throw RunwayException.usage(at + ": a rollback that points at another changeset is not supported;"
                            + " write its SQL here");
                }
                cur.rollback(lineNo, sql);
                continue;
            }
            if (ROLLBACK_START.matcher(l).matches()) {
                int k = i + 1;
                for (; k < lines.length; k++) {
                    Matcher e = ROLLBACK_END.matcher(lines[k]);
                    if (e.matches()) {
                        cur.rollback(k + 1, e.group(1));
                        break;
                    }
                    cur.rollback(k + 1, lines[k]);
                }
                if (k == lines.length) {
                    throw RunwayException.usage(at + ": '/* liquibase rollback' is never closed with '*/'");
                }
                i = k;
                continue;
            }
            if (META.matcher(l).matches() || HEADER.matcher(l).matches()) {
                continue;
            }
            cur.body(lineNo, l);
        }
        if (cur != null) {
            out.add(cur.close(where));
        }
        return out;
    }

    private static Open open(Matcher cs, String line, int lineNo, String at) {
        String author = unquote(cs.group(1).strip());
        String id = unquote(cs.group(2));
        if (id.replace(":", "").isBlank() || author.isBlank()) {
            throw RunwayException.usage(at + ": a changeset needs an author and an id: '--changeset <author>:<id>'");
        }
        String attrs = cs.group(3);
        Open o = new Open(author, id, lineNo);
        o.runInTransaction = bool(attrs, "runInTransaction", true, at);
        o.runOnChange = bool(attrs, "runOnChange", false, at);
        if (bool(attrs, "runAlways", false, at)) {
            throw RunwayException.usage(at + ": runAlways:true is not supported by Runway (a migration runs once);"
                    + " use runOnChange:true, or a repeatable Flyway R__ file");
        }
        if (!bool(attrs, "failOnError", true, at)) {
            throw RunwayException.usage(at + ": failOnError:false is not supported by Runway (a failed statement stops the"
                    + " migration); make the SQL itself tolerant (IF EXISTS, ...)");
        }
        String delimiter = attr(attrs, "endDelimiter");
        o.endDelimiter = delimiter == null || delimiter.equals(";") ? null : delimiter;
        String dbms = attr(attrs, "dbms");
        o.skipped = bool(attrs, "ignore", false, at) || dbms != null && !forPostgres(dbms);
        o.upFrom = lineNo;
        o.up.append(line).append('\n');
        o.down.append('\n');
        return o;
    }

    /** Whether a {@code dbms:} list selects PostgreSQL ({@code postgresql}, {@code all}, or {@code !other} only). */
    static boolean forPostgres(String dbms) {
        boolean anyPositive = false;
        boolean selected = false;
        for (String d : dbms.toLowerCase(Locale.ROOT).split(",")) {
            d = d.strip();
            if (d.startsWith("!")) {
                if (d.substring(1).equals("postgresql")) {
                    return false;
                }
                continue;
            }
            anyPositive = true;
            selected |= d.equals("postgresql") || d.equals("all");
        }
        return !anyPositive || selected;
    }

    private static boolean bool(String attrs, String name, boolean dflt, String at) {
        String v = attr(attrs, name);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw RunwayException.usage(at + ": " + name + " takes true or false (got '" + v + "')");
    }

    /** The value of {@code name:value} among the attributes (case-insensitive name), or null. */
    private static String attr(String attrs, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + ":(\"[^\"]*\"|\\S*)", Pattern.CASE_INSENSITIVE).matcher(attrs);
        return m.find() ? unquote(m.group(1)) : null;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** A changeset being read: its up lines and rollback lines, each list holding one entry per file line. */
    private static final class Open {
        final String author;
        final String id;
        final int line;
        final StringBuilder up = new StringBuilder();
        final StringBuilder down = new StringBuilder();
        int upFrom;
        int next;
        boolean hasRollback;
        boolean hasSql;
        boolean runInTransaction;
        boolean runOnChange;
        boolean skipped;
        String endDelimiter;

        Open(String author, String id, int line) {
            this.author = author;
            this.id = id;
            this.line = line;
            this.next = line + 1;
        }

        /** Blank lines up to {@code lineNo} so both texts keep the file's line numbers. */
        private void pad(int lineNo) {
            while (next < lineNo) {
                up.append('\n');
                down.append('\n');
                next++;
            }
        }

        void body(int lineNo, String l) {
            pad(lineNo);
            String kept = endDelimiter != null && l.strip().equals(endDelimiter) ? ";" : l;
            up.append(kept).append('\n');
            down.append('\n');
            hasSql |= !l.isBlank() && !l.strip().startsWith("--");
            next++;
        }

        void rollback(int lineNo, String sql) {
            pad(lineNo);
            up.append('\n');
            String s = sql.strip();
            boolean nothing = s.toLowerCase(Locale.ROOT).startsWith("not required") || s.toLowerCase(Locale.ROOT).startsWith("empty");
            down.append(nothing ? "" : sql).append('\n');
            hasRollback = true;
            next++;
        }

        Changeset close(String where) {
            if (!hasSql && !skipped) {
                throw RunwayException.usage(where + ":" + line + ": changeset " + author + ":" + id + " has no SQL");
            }
            return new Changeset(author, id, line, up.toString(), hasRollback ? down.toString() : null, runInTransaction,
                    endDelimiter, runOnChange, skipped);
        }
    }
}
