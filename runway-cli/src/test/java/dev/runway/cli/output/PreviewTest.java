package dev.runway.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A statement's one-line preview in the text log, built in place: the same text as the substring version it replaced. */
class PreviewTest {
    /** The preview as it was written before (strip, first line, 100 characters). */
    private static String reference(String sql) {
        String s = sql.strip();
        int nl = s.indexOf('\n');
        boolean cut = false;
        if (nl >= 0) {
            s = s.substring(0, nl).stripTrailing();
            cut = true;
        }
        if (s.length() > 100) {
            s = s.substring(0, 97);
            cut = true;
        }
        return cut ? s + " ..." : s + ";";
    }

    @Test
    void sameTextAsBefore() {
        String hundred = "x".repeat(100);
        for (String sql : new String[] {"SELECT 1", "  SELECT 1  ", "\n\tSELECT 1\n", "CREATE TABLE t (\n    id int\n)",
            "CREATE TABLE t (   \t\n    id int\n)", "CREATE TABLE t (\r\n    id int\r\n)", "a\u2003\u2003\nb", "a\u00a0\nb", hundred,
            hundred + "y", "x".repeat(99), "x".repeat(120) + "\nmore", "x".repeat(101) + "   \nmore", "\u3000SELECT 'é'\u3000",
            "SELECT '\uD83D\uDE00'" + "z".repeat(100), "", " ", "\n", "a\n", "\na", "COMMENT ON TABLE t IS 'items'"}) {
            assertThat(TextMigrationRenderer.preview(sql)).as(sql).isEqualTo(reference(sql));
            assertThat(TextMigrationRenderer.previewInto(new StringBuilder("-> "), sql).toString()).isEqualTo("-> " + reference(sql));
        }
    }
}
