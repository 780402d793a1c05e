package dev.runway.bench.corpus;

/** Markdown table cell escaping. Stateless. */
final class Cells {
    private Cells() {
    }

    static String escape(String s) {
        return escape(s, 400);
    }

    /** The text on one line, pipes escaped, cut at {@code max} characters. */
    static String escape(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replace("|", "\\|").replace("\n", " ");
        return t.length() > max ? t.substring(0, max) + "…" : t;
    }
}
