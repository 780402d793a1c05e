package dev.runway.migrate.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryLiteralTest {
    @Test
    void escapeStringLiteralsDoubleQuotesAndBackslashes() {
        assertThat(HistoryTable.text(null)).isEqualTo("NULL");
        assertThat(HistoryTable.text("plain")).isEqualTo("E'plain'");
        assertThat(HistoryTable.text("it's")).isEqualTo("E'it''s'");
        assertThat(HistoryTable.text("a\\b'")).isEqualTo("E'a\\\\b'''");
    }
}
