package dev.runway.core.sql;

import dev.runway.core.RunwayException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@link SqlScanner} over a {@link Reader}, one statement at a time, so that memory is bounded by
 * the largest statement rather than by the script (a seed file of many megabytes). It is the same
 * scanner, run on a window of the text: the window holds the statement being read and what follows
 * it; every statement but the window's last is final, and the window then moves to the last one's
 * start. A construct cut by the window's end (a string, a dollar-quoted body, a comment) only makes
 * the window grow; errors are reported, naming {@code file:line}, only when the text has ended.
 * Yields exactly what {@link SqlScanner#scan} yields for the whole text, except that a statement's
 * {@link Token#offset()}s are relative to the window, not the text; {@link Item#start()}, {@link Item#end()} and a
 * comment's {@link LineComment#offset()} are offsets in the whole text.
 *
 * <p>Not thread-safe; reads {@code in} to its end and does not close it.
 */
public final class SqlStream {
    /**
     * A statement or a line comment, in the order of the text: exactly one of {@code statement} and {@code comment}
     * is set. {@code start} is the text offset of the statement's first token or of the comment, {@code end} the
     * offset just after the statement's last token (or the comment's end).
     */
    public record Item(SqlStatement statement, LineComment comment, int start, int end) {
    }

    private final Reader in;
    private final String fileName;
    private final int chunk;
    private final StringBuilder window = new StringBuilder();
    private final Deque<Item> ready = new ArrayDeque<>();
    private int windowLine;
    /** Offset in the text of the window's first character. */
    private int base;
    /** Whether only whitespace precedes the window's start on its line (what a comment there needs to know). */
    private boolean windowStartsLine = true;
    private int want;
    private boolean eof;
    private boolean done;

    /**
     * @param firstLine the line of the text's first character in its file
     * @param chunkChars how much to read at a time (the window grows past it for a longer statement)
     */
    public SqlStream(Reader in, String fileName, int firstLine, int chunkChars) {
        if (chunkChars < 1) {
            throw new IllegalArgumentException("chunkChars " + chunkChars);
        }
        this.in = in;
        this.fileName = fileName;
        this.windowLine = firstLine;
        this.chunk = chunkChars;
        this.want = chunkChars;
    }

    /**
     * The next statement or comment, or null at the end of the text.
     *
     * @throws RunwayException (USAGE) as {@link SqlScanner#scan} does, for an unterminated construct
     * @throws UncheckedIOException when reading fails
     */
    public Item next() {
        while (ready.isEmpty() && !done) {
            advance();
        }
        return ready.poll();
    }

    private void advance() {
        read(want);
        String text = window.toString();
        // Scan whole lines only: the window's end then rarely cuts a string or comment (a seed file's rows are full of
        // strings; cut there and doubled each time, the window grew to megabytes). Only a construct that spans lines
        // (a dollar-quoted body, a multi-line string) still makes it grow.
        int end = eof ? text.length() : Math.max(text.lastIndexOf('\n') + 1, 0);
        if (end == 0) {
            end = text.length();
        }
        ScanResult r;
        try {
            r = SqlScanner.scan(text, 0, end, fileName, windowLine);
        } catch (RunwayException cut) {
            if (eof) {
                throw cut;
            }
            want *= 2; // the construct goes on past the window: read more (doubling keeps rescans linear)
            return;
        }
        List<SqlStatement> st = r.statements();
        if (eof) {
            emit(r, Integer.MAX_VALUE);
            window.setLength(0);
            done = true;
            return;
        }
        if (st.size() < 2) {
            want *= 2; // not one complete statement yet
            return;
        }
        // Every statement but the last is complete; the last may go on past the window.
        SqlStatement last = st.get(st.size() - 1);
        int cut = last.tokens().get(0).offset();
        emit(r, cut);
        windowLine = last.line();
        windowStartsLine = onlyBlanksBefore(cut);
        window.delete(0, cut);
        base += cut;
        want = chunk;
        if (window.capacity() > 4 * chunk && window.length() < chunk) {
            window.trimToSize(); // a long statement is behind us: do not keep its buffer
        }
    }

    /** Queues the statements and comments that start before {@code cut}, in text order. */
    private void emit(ScanResult r, int cut) {
        List<SqlStatement> st = r.statements();
        List<LineComment> cm = r.comments();
        int i = 0;
        int j = 0;
        while (true) {
            int so = i < st.size() ? st.get(i).tokens().get(0).offset() : Integer.MAX_VALUE;
            int co = j < cm.size() ? cm.get(j).offset() : Integer.MAX_VALUE;
            if (Math.min(so, co) >= cut) {
                return;
            }
            if (so < co) {
                SqlStatement statement = st.get(i++);
                List<Token> t = statement.tokens();
                Token last = t.get(t.size() - 1);
                ready.add(new Item(statement, null, base + so, base + last.offset() + last.text().length()));
            } else {
                LineComment c = cm.get(j++);
                if (c.atLineStart() && !windowStartsLine && c.line() == windowLine) {
                    // only blanks between the window's start and the comment, but text before the start
                    c = new LineComment(c.text(), c.line(), c.offset(), false);
                }
                c = new LineComment(c.text(), c.line(), base + c.offset(), c.atLineStart());
                ready.add(new Item(null, c, c.offset(), c.offset() + c.text().length()));
            }
        }
    }

    /** True when only blanks precede {@code at} on its line (the window's earlier lines, or its start if that starts a line). */
    private boolean onlyBlanksBefore(int at) {
        for (int k = at - 1; k >= 0; k--) {
            char c = window.charAt(k);
            if (c == '\n' || c == '\r') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\f' && c != '\u000B') {
                return false;
            }
        }
        return windowStartsLine;
    }

    /** The window's buffer, in chars: what the stream holds besides the statements it hands out (for tests). */
    int windowCapacity() {
        return window.capacity();
    }

    private void read(int chars) {
        if (eof) {
            return;
        }
        char[] buf = new char[Math.min(chars, 1 << 16)];
        int got = 0;
        try {
            while (got < chars) {
                int n = in.read(buf, 0, Math.min(buf.length, chars - got));
                if (n < 0) {
                    eof = true;
                    return;
                }
                window.append(buf, 0, n);
                got += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(fileName + ": " + e.getMessage(), e);
        }
    }
}
