package dev.runway.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final String CLEAR = "\r\u001b[K";
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream term = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void shortWorkPrintsOnlyItsLines() {
        try (ProgressLine p = new ProgressLine(term, now::get, 80, 3, "migrations")) {
            p.current("1 create_widgets");
            p.println("  -- migrating version 1 (create_widgets)");
            advanceMillis(999);
            p.tick();
            p.step();
        }
        assertThat(out()).isEqualTo("  -- migrating version 1 (create_widgets)" + System.lineSeparator());
    }

    @Test
    void longWorkShowsTheBarBelowTheLogAndErasesItAtTheEnd() {
        ProgressLine p = new ProgressLine(term, now::get, 120, 4, "migrations");
        p.step();
        p.current("2 add_index: statement 2/3");
        advanceMillis(1_500);
        p.tick();
        assertThat(out()).isEqualTo("\r  [#####---------------] 1/4 migrations  1s  2 add_index: statement 2/3 (1s)");
        bytes.reset();
        advanceMillis(61_000);
        p.println("    -> CREATE INDEX CONCURRENTLY ...");
        // erased, the log line, then drawn again with the times moved on
        assertThat(out()).isEqualTo(CLEAR + "    -> CREATE INDEX CONCURRENTLY ..." + System.lineSeparator()
                + "\r  [#####---------------] 1/4 migrations  1m02s  2 add_index: statement 2/3 (1m02s)");
        bytes.reset();
        p.step();
        assertThat(out()).isEqualTo(CLEAR + "\r  [##########----------] 2/4 migrations  1m02s");
        bytes.reset();
        p.close();
        p.close();
        assertThat(out()).isEqualTo(CLEAR);
        bytes.reset();
        p.tick();
        p.println("after");
        assertThat(out()).isEqualTo("after" + System.lineSeparator());
    }

    @Test
    void aLineNeverWrapsTheTerminal() {
        ProgressLine p = new ProgressLine(term, now::get, 40, 1000, "migrations");
        p.current("20250301120000 a_very_long_description_that_goes_on: statement 12/40");
        assertThat(p.render()).hasSize(39).endsWith("~");
    }

    @Test
    void theTickerRedrawsWithoutEvents() throws Exception {
        ProgressLine p = new ProgressLine(term, now::get, 80, 2, "migrations");
        advanceMillis(2_000);
        p.startTicker();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!out().contains("0/2 migrations") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.close();
        assertThat(out()).contains("\r  [--------------------] 0/2 migrations  2s").endsWith(CLEAR);
    }
}
