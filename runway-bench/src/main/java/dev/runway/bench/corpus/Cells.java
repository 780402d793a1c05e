package dev.runway.bench.corpus;

/** Markdown table cell escaping. Stateless. */
final class Cells {
    private Cells() {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replace("|", "\\|").replace("\n", " ");
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }
}
