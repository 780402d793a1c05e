package dev.runway.cli.output;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress display at the bottom of a terminal, for long work: a bar, items done of the
 * total, elapsed time, and what is running now with its own elapsed time (a
 * {@code CREATE INDEX CONCURRENTLY} on a big table can take minutes). It appears only once the work
 * has taken {@link #SHOW_AFTER_NANOS} (short runs print exactly what they print without it), is
 * redrawn by a ticker a few times a second, and is erased before every log line and at the end, so
 * the log above it reads as if it were not there. Used only when stdout is a terminal; never in JSON
 * mode. Thread-safe (the ticker and the migrating thread share it).
 */
public final class ProgressLine implements AutoCloseable {
    /** Work shorter than this never shows a bar. */
    public static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long TICK_MILLIS = 250;
    private static final String CLEAR = "\r\u001b[K";
    private static final int BAR = 20;

    private final PrintStream term;
    private final LongSupplier clock;
    private final int width;
    private final String unit;
    private final int total;
    private final long started;
    private int done;
    private String current;
    private long currentSince;
    private boolean visible;
    private boolean closed;
    private Thread ticker;

    /**
     * @param total items expected ({@code unit}, e.g. "migrations")
     * @param width the terminal width in columns (lines are cut to fit, so they never wrap)
     */
    public ProgressLine(PrintStream term, LongSupplier nanoClock, int width, int total, String unit) {
        this.term = term;
        this.clock = nanoClock;
        this.width = Math.max(20, width);
        this.total = total;
        this.unit = unit;
        this.started = nanoClock.getAsLong();
    }

    /** Whether to show progress: stdout is a terminal that can move the cursor. */
    public static boolean wanted() {
        return System.console() != null && !Output.embedded() && !"dumb".equals(System.getenv("TERM"));
    }

    /** The terminal width from {@code COLUMNS}, else 80. */
    public static int terminalWidth() {
        try {
            String c = System.getenv("COLUMNS");
            return c == null ? 80 : Integer.parseInt(c.trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** Starts the ticker thread that redraws the line (elapsed times move even when nothing finishes). */
    public synchronized ProgressLine startTicker() {
        if (ticker == null && !closed) {
            ticker = new Thread(this::tickLoop, "runway-progress");
            ticker.setDaemon(true);
            ticker.start();
        }
        return this;
    }

    /** What is running now (null for nothing), e.g. "20250301_add_index: statement 2/3". */
    public synchronized void current(String label) {
        current = label;
        currentSince = clock.getAsLong();
        redraw();
    }

    /** One item finished. */
    public synchronized void step() {
        done++;
        current = null;
        redraw();
    }

    /** Prints a log line above the progress line. */
    public synchronized void println(String s) {
        if (visible) {
            term.print(CLEAR);
        }
        term.println(s);
        if (visible) {
            draw();
        }
    }

    /** Redraws the line, showing it if the work has become long. */
    public synchronized void tick() {
        redraw();
    }

    /** Erases the line for good and stops the ticker. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (visible) {
                term.print(CLEAR);
                term.flush();
                visible = false;
            }
            t = ticker;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** The line as drawn now (without the leading carriage return and erase), for tests. */
    synchronized String render() {
        long now = clock.getAsLong();
        int filled = total <= 0 ? 0 : (int) Math.min(BAR, (long) done * BAR / total);
        StringBuilder b = new StringBuilder("  [");
        for (int i = 0; i < BAR; i++) {
            b.append(i < filled ? '#' : '-');
        }
        b.append("] ").append(done).append('/').append(total).append(' ').append(unit).append("  ").append(seconds(now - started));
        if (current != null) {
            b.append("  ").append(current).append(" (").append(seconds(now - currentSince)).append(')');
        }
        if (b.length() > width - 1) {
            b.setLength(width - 2);
            b.append('~');
        }
        return b.toString();
    }

    private void redraw() {
        if (closed) {
            return;
        }
        if (!visible && clock.getAsLong() - started < SHOW_AFTER_NANOS) {
            return;
        }
        if (visible) {
            term.print(CLEAR);
        }
        draw();
    }

    private void draw() {
        term.print("\r" + render());
        term.flush();
        visible = true;
    }

    private void tickLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(TICK_MILLIS);
                tick();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String seconds(long nanos) {
        long s = nanos / 1_000_000_000L;
        return s < 60 ? s + "s" : s / 60 + "m" + String.format("%02d", s % 60) + "s";
    }
}
