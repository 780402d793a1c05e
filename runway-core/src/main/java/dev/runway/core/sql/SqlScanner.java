package dev.runway.core.sql;

import dev.runway.core.RunwayException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements the way {@code psql} does: on {@code ;} outside
 * strings, quoted identifiers, dollar-quoted bodies, comments and parentheses, and outside the
 * {@code BEGIN ATOMIC ... END} body of a {@code CREATE FUNCTION/PROCEDURE}. Understands everything
 * PostgreSQL's lexer does that affects splitting: {@code $tag$} quoting (and {@code $1}
 * parameters), {@code E'\''} escapes, {@code ''} doubling, {@code U&'...'}, {@code "a""b"},
 * nested block comments, CRLF and lone-CR line ends, a leading byte-order mark.
 *
 * <p>Assumes {@code standard_conforming_strings = on} (the default since PostgreSQL 9.1), so a
 * backslash escapes only in {@code E'...'} strings. psql meta-commands ({@code \connect}) are not
 * interpreted. Stateless and thread-safe; one hand-written pass over the characters.
 *
 * @see <a href="https://www.postgresql.org/docs/current/sql-syntax-lexical.html">Lexical structure</a>
 */
public final class SqlScanner {
    private final String text;
    private final String fileName;
    private final int begin;
    private final int n;
    private int pos;
    private int line;

    private final List<SqlStatement> statements = new ArrayList<>();
    private final List<LineComment> comments = new ArrayList<>();

    // The statement being built.
    private List<Token> current = new ArrayList<>();
    private int stmtStart;
    private int stmtLine;
    private int lastEnd;
    private int lastEndLine;
    private int parenDepth;
    private int beginDepth;
    private int wordCount;
    /** Whether the statement starts with CREATE [OR REPLACE] FUNCTION|PROCEDURE: 0 not known yet, 1 yes, -1 no. */
    private int routine;

    private SqlScanner(String text, int begin, int end, String fileName, int firstLine) {
        this.text = text;
        this.fileName = fileName;
        this.begin = begin;
        this.n = end;
        this.pos = begin;
        this.line = firstLine;
    }

    /**
     * Splits {@code text} into statements and collects its line comments.
     *
     * @param fileName  named in errors
     * @param firstLine 1-based line number in the file of the first line of {@code text}
     * @throws RunwayException (USAGE) for an unterminated string, quoted identifier, dollar-quoted
     *                         string or block comment, naming {@code fileName:line} where it opened
     */
    public static ScanResult scan(String text, String fileName, int firstLine) {
        return scan(text, 0, text.length(), fileName, firstLine);
    }

    /**
     * Scans only {@code text[start, end)}, as if it were the whole script; offsets in the result stay
     * offsets into {@code text}. Used to scan one section of a file.
     *
     * @param firstLine 1-based line number in the file of the line containing {@code start}
     */
    public static ScanResult scan(String text, int start, int end, String fileName, int firstLine) {
        if (start < 0 || end > text.length() || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + ") of a text of " + text.length());
        }
        SqlScanner s = new SqlScanner(text, start, end, fileName, firstLine);
        s.run();
        return new ScanResult(Collections.unmodifiableList(s.statements), Collections.unmodifiableList(s.comments));
    }

    /** {@link #scan(String, String, int)} from line 1. */
    public static ScanResult scan(String text, String fileName) {
        return scan(text, fileName, 1);
    }

    private void run() {
        if (pos == 0 && n > 0 && text.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        while (pos < n) {
            char c = text.charAt(pos);
            char next = pos + 1 < n ? text.charAt(pos + 1) : 0;
            switch (c) {
                case '\n' -> {
                    line++;
                    pos++;
                }
                case '\r' -> {
                    pos++;
                    if (next != '\n') {
                        line++; // a lone CR ends a line too
                    }
                }
                case ' ', '\t', '\f', '\u000B' -> pos++;
                case ';' -> {
                    if (parenDepth > 0 || beginDepth > 0) {
                        emit(TokenType.PUNCT, 1);
                    } else {
                        endStatement();
                        pos++;
                    }
                }
                case '\'' -> string(pos, pos, false);
                case '"' -> quotedIdent(pos, pos);
                case '$' -> dollar();
                case '(', ')', ',', '[', ']' -> emit(TokenType.PUNCT, 1);
                case '.' -> {
                    if (CharClass.isDigit(next)) {
                        number();
                    } else {
                        emit(TokenType.PUNCT, 1);
                    }
                }
                case ':' -> {
                    if (next == ':') {
                        emit(TokenType.PUNCT, 2);
                    } else if (next == '=') {
                        emit(TokenType.OPERATOR, 2);
                    } else {
                        emit(TokenType.PUNCT, 1);
                    }
                }
                case '-' -> {
                    if (next == '-') {
                        lineComment();
                    } else {
                        operator();
                    }
                }
                case '/' -> {
                    if (next == '*') {
                        blockComment();
                    } else {
                        operator();
                    }
                }
                default -> {
                    if (CharClass.isDigit(c)) {
                        number();
                    } else if (CharClass.isIdentStart(c)) {
                        word(c);
                    } else if (CharClass.isOpChar(c)) {
                        operator();
                    } else {
                        // Not SQL (e.g. a psql backslash command); the server will say so.
                        emit(TokenType.OPERATOR, 1);
                    }
                }
            }
        }
        endStatement();
    }

    /** A token of {@code length} characters at {@code pos}, on one line. */
    private void emit(TokenType type, int length) {
        token(type, pos, pos + length);
        pos += length;
    }

    private void word(char c) {
        int start = pos;
        if (pos + 1 < n) {
            char next = text.charAt(pos + 1);
            if (next == '\'') {
                switch (c) {
                    case 'e', 'E' -> {
                        string(start, pos + 1, true);
                        return;
                    }
                    case 'b', 'B', 'x', 'X', 'n', 'N' -> {
                        string(start, pos + 1, false);
                        return;
                    }
                    default -> {
                        // an identifier that happens to start with one of these letters
                    }
                }
            } else if (next == '&' && (c == 'u' || c == 'U') && pos + 2 < n) {
                char q = text.charAt(pos + 2);
                if (q == '\'') {
                    string(start, pos + 2, false);
                    return;
                }
                if (q == '"') {
                    quotedIdent(start, pos + 2);
                    return;
                }
            }
        }
        int i = pos + 1;
        while (i < n && CharClass.isIdentCont(text.charAt(i))) {
            i++;
        }
        pos = i;
        token(TokenType.WORD, start, i);
    }

    /** A string whose opening quote is at {@code quote}; {@code backslash} for E'' strings. */
    private void string(int start, int quote, boolean backslash) {
        int i = quote + 1;
        while (true) {
            if (i >= n) {
                throw unterminated(start, "quoted string " + snippet(start));
            }
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < n && text.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            i += backslash && c == '\\' ? 2 : 1;
        }
        multiLineToken(TokenType.STRING, start, i);
    }

    private void quotedIdent(int start, int quote) {
        int i = quote + 1;
        while (true) {
            int close = text.indexOf('"', i);
            if (close < 0 || close >= n) {
                throw unterminated(start, "quoted identifier " + snippet(start));
            }
            if (close + 1 < n && text.charAt(close + 1) == '"') {
                i = close + 2;
                continue;
            }
            i = close + 1;
            break;
        }
        multiLineToken(TokenType.QUOTED_IDENT, start, i);
    }

    /** {@code $1}, or {@code $tag$...$tag$}, or a lone {@code $}. */
    private void dollar() {
        int start = pos;
        int i = pos + 1;
        if (i < n && CharClass.isDigit(text.charAt(i))) {
            while (i < n && CharClass.isDigit(text.charAt(i))) {
                i++;
            }
            pos = i;
            token(TokenType.PARAM, start, i);
            return;
        }
        if (i < n && CharClass.isDollarTagStart(text.charAt(i))) {
            i++;
            while (i < n && CharClass.isDollarTagCont(text.charAt(i))) {
                i++;
            }
        }
        if (i < n && text.charAt(i) == '$') {
            String tag = text.substring(start, i + 1);
            // Like the server's lexer: the body ends at the first occurrence of the same tag,
            // wherever it is; other tags ($inner$) are just text.
            int close = text.indexOf(tag, i + 1);
            if (close < 0 || close + tag.length() > n) {
                throw unterminated(start, "dollar-quoted string " + tag);
            }
            multiLineToken(TokenType.DOLLAR_STRING, start, close + tag.length());
            return;
        }
        token(TokenType.OPERATOR, start, start + 1);
        pos = start + 1;
    }

    private void number() {
        int start = pos;
        int i = pos;
        char c = text.charAt(i);
        if (c == '0' && i + 2 < n && "xXoObB".indexOf(text.charAt(i + 1)) >= 0
                && CharClass.isHexOrUnderscore(text.charAt(i + 2))) {
            i += 2;
            while (i < n && CharClass.isHexOrUnderscore(text.charAt(i))) {
                i++;
            }
        } else {
            while (i < n && (CharClass.isDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                i++;
            }
            // "1.5", ".5", "1." but not the "1..2" of a range or the "::" of a cast.
            if (i < n && text.charAt(i) == '.' && !(i + 1 < n && text.charAt(i + 1) == '.')) {
                i++;
                while (i < n && (CharClass.isDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
            }
            if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                int j = i + 1;
                if (j < n && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
                    j++;
                }
                if (j < n && CharClass.isDigit(text.charAt(j))) {
                    i = j;
                    while (i < n && CharClass.isDigit(text.charAt(i))) {
                        i++;
                    }
                }
            }
        }
        pos = i;
        token(TokenType.NUMBER, start, i);
    }

    /** The server's operator rule: the longest run of operator characters, cut before a comment start. */
    private void operator() {
        int start = pos;
        int end = pos;
        while (end < n && CharClass.isOpChar(text.charAt(end))) {
            char c = text.charAt(end);
            if (end > start && end + 1 < n
                    && ((c == '-' && text.charAt(end + 1) == '-') || (c == '/' && text.charAt(end + 1) == '*'))) {
                break;
            }
            end++;
        }
        // A multi-character operator cannot end in + or - unless it contains ~ ! @ # % ^ & | ` ?,
        // so "=-1" is "=" then "-" (https://www.postgresql.org/docs/current/sql-syntax-lexical.html).
        if (end - start > 1 && (text.charAt(end - 1) == '+' || text.charAt(end - 1) == '-')) {
            boolean special = false;
            for (int k = start; k < end; k++) {
                if ("~!@#%^&|`?".indexOf(text.charAt(k)) >= 0) {
                    special = true;
                    break;
                }
            }
            if (!special) {
                while (end - start > 1 && (text.charAt(end - 1) == '+' || text.charAt(end - 1) == '-')) {
                    end--;
                }
            }
        }
        pos = end;
        token(TokenType.OPERATOR, start, end);
    }

    private void lineComment() {
        int start = pos;
        int end = start + 2;
        while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        boolean atLineStart = true;
        for (int k = start - 1; k >= begin; k--) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\r' || (k == 0 && c == '\uFEFF')) {
                break;
            }
            if (c != ' ' && c != '\t' && c != '\f' && c != '\u000B') {
                atLineStart = false;
                break;
            }
        }
        comments.add(new LineComment(text.substring(start + 2, end).strip(), line, start, atLineStart));
        pos = end;
    }

    /** Block comments nest in PostgreSQL (unlike the SQL standard), so an inner comment's end does not end the outer one. */
    private void blockComment() {
        int start = pos;
        int depth = 1;
        int i = start + 2;
        while (depth > 0) {
            if (i + 1 >= n) {
                throw unterminated(start, "block comment");
            }
            char c = text.charAt(i);
            if (c == '/' && text.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (c == '*' && text.charAt(i + 1) == '/') {
                depth--;
                i += 2;
            } else {
                i++;
            }
        }
        line += countLines(start, i);
        pos = i;
    }

    private void multiLineToken(TokenType type, int start, int end) {
        int startLine = line;
        line += countLines(start, end);
        pos = end;
        add(new Token(type, text.substring(start, end), startLine, start), end);
    }

    private void token(TokenType type, int start, int end) {
        add(new Token(type, text.substring(start, end), line, start), end);
    }

    private void add(Token t, int end) {
        if (current.isEmpty()) {
            stmtStart = t.offset();
            stmtLine = t.line();
        }
        current.add(t);
        lastEnd = end;
        lastEndLine = line;
        if (t.type() == TokenType.PUNCT) {
            if (t.text().equals("(")) {
                parenDepth++;
            } else if (t.text().equals(")") && parenDepth > 0) {
                parenDepth--;
            }
        } else if (t.type() == TokenType.WORD) {
            trackBeginAtomic(t.text());
        }
    }

    /**
     * psql's heuristic (psqlscan.l) for SQL-standard routine bodies: in a statement that starts
     * with CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside parentheses, BEGIN opens a block,
     * CASE inside a block opens one too, END closes one; {@code ;} inside a block does not split.
     */
    private void trackBeginAtomic(String w) {
        if (routine == 0) {
            switch (wordCount++) {
                case 0:
                    routine = w.equalsIgnoreCase("create") ? 0 : -1;
                    break;
                case 1:
                    routine = isRoutineWord(w) ? 1 : w.equalsIgnoreCase("or") ? 0 : -1;
                    break;
                case 2:
                    routine = w.equalsIgnoreCase("replace") ? 0 : -1;
                    break;
                default:
                    routine = isRoutineWord(w) ? 1 : -1;
                    break;
            }
            return;
        }
        if (routine < 0 || parenDepth != 0) {
            return;
        }
        if (w.equalsIgnoreCase("begin")) {
            beginDepth++;
        } else if (w.equalsIgnoreCase("case")) {
            if (beginDepth >= 1) {
                beginDepth++;
            }
        } else if (w.equalsIgnoreCase("end") && beginDepth > 0) {
            beginDepth--;
        }
    }

    private static boolean isRoutineWord(String w) {
        return w.equalsIgnoreCase("function") || w.equalsIgnoreCase("procedure");
    }

    private void endStatement() {
        if (!current.isEmpty()) {
            statements.add(new SqlStatement(text.substring(stmtStart, lastEnd), stmtLine, lastEndLine,
                    Collections.unmodifiableList(current)));
            current = new ArrayList<>();
        }
        parenDepth = 0;
        beginDepth = 0;
        wordCount = 0;
        routine = 0;
    }

    /** Line breaks in [from, to): LF, CRLF (once) and a lone CR. */
    private int countLines(int from, int to) {
        int count = 0;
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (c == '\n' || (c == '\r' && (k + 1 >= n || text.charAt(k + 1) != '\n'))) {
                count++;
            }
        }
        return count;
    }

    private RunwayException unterminated(int start, String what) {
        int at = line;
        return RunwayException.usage(fileName + ":" + at + ": unterminated " + what + " (opened here)");
    }

    /** The first characters of the token at {@code start}, on one line, for an error message. */
    private String snippet(int start) {
        int end = Math.min(n, start + 20);
        StringBuilder b = new StringBuilder();
        for (int k = start; k < end; k++) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\r') {
                break;
            }
            b.append(c);
        }
        return b.append(end < n ? "..." : "").toString();
    }
}
