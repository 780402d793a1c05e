package dev.runway.migrate.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.MigrationVersion;
import org.junit.jupiter.api.Test;

class HistoryLiteralTest {
    @Test
    void escapeStringLiteralsDoubleQuotesAndBackslashes() {
        assertThat(HistoryTable.text(null)).isEqualTo("NULL");
        assertThat(HistoryTable.text("plain")).isEqualTo("E'plain'");
        assertThat(HistoryTable.text("it's")).isEqualTo("E'it''s'");
        assertThat(HistoryTable.text("a\\b'")).isEqualTo("E'a\\\\b'''");
        assertThat(HistoryTable.text("''\\\\")).isEqualTo("E'''''\\\\\\\\'");
        assertThat(HistoryTable.text("")).isEqualTo("E''");
        assertThat(HistoryTable.text("ci\\bot")).isEqualTo("E'ci\\\\bot'");
        assertThat(HistoryTable.text("o'k")).isEqualTo("E'o''k'");
    }

    /** The insert text, built in one builder, is the one the plain concatenation made (every value escaped, NULLs as NULL). */
    @Test
    void insertSqlIsTheConcatenationOfItsLiterals() {
        HistoryTable h = new HistoryTable("my schema", "hist\"ory");
        for (HistoryRow r : new HistoryRow[] {
            new HistoryRow(MigrationVersion.parse("20250301120000"), "add_o'rders", MigrationKind.SCHEMA, "sha256:ab", HistoryStatus.APPLIED,
                    0, 0, null, null, 0, "ci\\bot", "0.1.0", "sha256:up", null),
            new HistoryRow(MigrationVersion.parse("7"), "x", MigrationKind.DATA, "sha256:cd", HistoryStatus.RUNNING, 2, 5, "it's \\ broken",
                    null, 12, "me", "0.1.0-SNAPSHOT", null, "sha256:d'own")}) {
            String expected = "INSERT INTO " + h.qualified() + " (version, kind, name, checksum, status, statements_done, statements_total,"
                    + " error, duration_ms, applied_by, runway_version, up_checksum, down_checksum) VALUES ("
                    + HistoryTable.text(r.version().text()) + ", " + HistoryTable.text(r.kind().name().toLowerCase()) + ", "
                    + HistoryTable.text(r.name()) + ", " + HistoryTable.text(r.checksum()) + ", " + HistoryTable.text(r.status().dbValue())
                    + ", " + r.statementsDone() + ", " + r.statementsTotal() + ", " + HistoryTable.text(r.error()) + ", 42 + 1, "
                    + HistoryTable.text(r.appliedBy()) + ", " + HistoryTable.text(r.runwayVersion()) + ", "
                    + HistoryTable.text(r.upChecksum()) + ", " + HistoryTable.text(r.downChecksum()) + ")";
            assertThat(h.insertSql(r, "42 + 1")).isEqualTo(expected);
        }
        assertThat(h.deleteSql(MigrationKind.DATA, MigrationVersion.parse("7")))
                .isEqualTo("DELETE FROM " + h.qualified() + " WHERE kind = E'data' AND version = E'7'");
    }
}
