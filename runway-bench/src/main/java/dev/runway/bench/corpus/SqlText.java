package dev.runway.bench.corpus;

import java.util.Arrays;
import java.util.List;

/** Small line helpers for the reference readers. Stateless. */
final class SqlText {
    private SqlText() {
    }

    static List<String> lines(String text) {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return Arrays.asList(t.replace("\r\n", "\n").split("\n", -1));
    }

    /**
     * The text with only lines [from, to) kept (0-based) and every other line blanked, so line
     * numbers stay those of the original file.
     */
    static String keep(List<String> lines, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i >= from && i < to) {
                b.append(lines.get(i));
            }
            if (i < lines.size() - 1) {
                b.append('\n');
            }
        }
        return b.toString();
    }
}
