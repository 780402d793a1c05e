package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.dir.internal.Checksums;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -- runway:nolint RWnnn <reason>} right before a statement: which statement it covers, and every misplacement. */
class InlineNolintTest {
    @TempDir
    Path dir;

    private Migration load() {
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations().get(0);
    }

    private void assertUsage(String name, String text, String message) {
        DirFixture.assertUsage(dir, name, text, message);
    }

    @Test
    void coversTheNextStatementOfItsSectionAcrossBlankLinesAndComments() {
        String text = "-- runway:nolint RW122 header: covers the file\n"
                + "-- runway:up\n"
                + "CREATE INDEX a ON t (x);\n"
                + "-- runway:nolint RW101 t has 20 rows\n"
                + "\n"
                + "-- an ordinary comment\n"
                + "/* a block\n   comment */\n"
                + "-- runway:nolint RW120 staging copy only\n"
                + "CREATE INDEX b ON t (y);\n"
                + "CREATE INDEX c ON t (z);\n"
                + "-- runway:down\n"
                + "-- runway:nolint RW102 rollback is for emergencies\n"
                + "DROP INDEX b;\n"
                + "DROP INDEX a;\n";
        write(dir, "1_x.sql", text);
        Migration m = load();
        assertThat(m.directives().nolint()).containsExactly(new Nolint("RW122", "header: covers the file", 1));
        assertThat(m.up()).hasSize(3);
        assertThat(m.up().get(1).line()).isEqualTo(10);
        assertThat(m.upNolint()).isEqualTo(Map.of(1, List.of(new Nolint("RW101", "t has 20 rows", 4),
                new Nolint("RW120", "staging copy only", 9))));
        assertThat(m.downNolint()).isEqualTo(Map.of(0, List.of(new Nolint("RW102", "rollback is for emergencies", 13))));
        // Checksums stay those of the file bytes.
        assertThat(m.checksum()).isEqualTo(Checksums.migration(text.getBytes(StandardCharsets.UTF_8), null));
    }

    @Test
    void noInlineNolintsMeansEmptyMaps() {
        write(dir, "1_x.sql", "-- runway:nolint RW101 whole file\n-- runway:up\nSELECT 1;\n-- runway:down\nSELECT 2;\n");
        assertThat(load().upNolint()).isEmpty();
        assertThat(load().downNolint()).isEmpty();
    }

    @Test
    void theSameRuleMayCoverSeveralStatementsButOnlyOnceEach() {
        write(dir, "1_x.sql", "-- runway:up\n-- runway:nolint RW101 a\nCREATE INDEX a ON t (x);\n-- runway:nolint RW101 b\n"
                + "CREATE INDEX b ON t (y);\n");
        assertThat(load().upNolint()).containsOnlyKeys(0, 1);
        assertUsage("1_x.sql", "-- runway:up\n-- runway:nolint RW101 a\n-- runway:nolint RW101 b\nCREATE INDEX a ON t (x);\n",
                ":3: nolint RW101 given twice for the statement on line 4 (lines 2 and 3); keep one");
    }

    @Test
    void sameValidationAsInTheHeader() {
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:nolint RW101\nSELECT 2;\n",
                ":3: nolint RW101 needs a reason, e.g. '-- runway:nolint RW101 table is empty in every environment'");
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:nolint RW1O1 a typo\nSELECT 2;\n",
                ":3: nolint rule 'RW1O1' is not a rule id (write e.g. RW101)");
        assertUsage("1_x.sql", "-- runway:up\n-- runway:nolint\nSELECT 1;\n",
                ":2: nolint needs a value, e.g. '-- runway:nolint RW101 reason'");
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:down\n-- runway:nolint RW102\nSELECT 2;\n",
                ":4: nolint RW102 needs a reason, e.g. '-- runway:nolint RW102 table is empty in every environment'");
    }

    @Test
    void otherDirectivesInsideASectionAreErrors() {
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:down\n-- runway:transaction none\nSELECT 2;\n",
                ":4: '-- runway:transaction' is a directive for the whole migration; put it in the header, "
                        + "before '-- runway:up' (only nolint may also sit right before a statement)");
        assertUsage("1_x.sql", "-- runway:up\n-- runway:nolnt RW101 typo\nSELECT 1;\n",
                ":2: unknown directive 'runway:nolnt' (known: transaction, lock-timeout, statement-timeout, retries, nolint, backfill, allow-empty)");
    }

    @Test
    void aNolintFollowedByNoStatementOfItsSectionIsAnError() {
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:nolint RW101 nothing follows\n-- runway:down\nSELECT 2;\n",
                ":3: nolint RW101 is not followed by a statement in the up section; put it right before the statement it covers, "
                        + "or in the header to cover the whole file");
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:down\nSELECT 2;\n\n-- runway:nolint RW102 at the end\n",
                ":6: nolint RW102 is not followed by a statement in the down section; put it right before the statement it covers");
        assertUsage("1_x.sql", "-- runway:up\n-- runway:nolint RW101 empty section\n",
                ":2: nolint RW101 is not followed by a statement in the up section; put it right before the statement it covers, "
                        + "or in the header to cover the whole file");
    }

    @Test
    void aNolintMustStartItsLineOutsideAnyStatement() {
        assertUsage("1_x.sql", "-- runway:up\nCREATE INDEX a ON t (x); -- runway:nolint RW101 tiny\nCREATE INDEX b ON t (y);\n",
                ":2: nolint RW101 does not start its line; put it on its own line right before the statement it covers");
        assertUsage("1_x.sql", "-- runway:up\nCREATE INDEX a ON t (x)\n-- runway:nolint RW101 tiny\nCREATE INDEX b ON t (y);\n",
                ":3: nolint RW101 is inside the statement that starts on line 2 (a missing ';'?); put it on its own line right "
                        + "before the statement it covers");
    }

    @Test
    void downSectionOfAnUpStatementWithoutSemicolon() {
        write(dir, "1_x.sql", "-- runway:up\nCREATE INDEX a ON t (x)\n-- runway:down\n-- runway:nolint RW102 r\nDROP INDEX a;\n");
        Migration m = load();
        assertThat(m.up()).hasSize(1);
        assertThat(m.upNolint()).isEmpty();
        assertThat(m.downNolint()).isEqualTo(Map.of(0, List.of(new Nolint("RW102", "r", 4))));
    }

    @Test
    void pairedFiles() {
        // Above the first statement of an up file is its header; below it, a nolint covers one statement.
        write(dir, "1_x.up.sql", "-- runway:nolint RW122 whole file\nCREATE INDEX a ON t (x);\n-- runway:nolint RW101 r\n"
                + "CREATE INDEX b ON t (y);\n");
        // A down file has no header: a nolint there covers the statement after it, the first one too.
        write(dir, "1_x.down.sql", "-- runway:nolint RW102 r\nDROP INDEX b;\nDROP INDEX a;\n");
        Migration m = load();
        assertThat(m.directives().nolint()).extracting(Nolint::rule).containsExactly("RW122");
        assertThat(m.upNolint()).isEqualTo(Map.of(1, List.of(new Nolint("RW101", "r", 3))));
        assertThat(m.downNolint()).isEqualTo(Map.of(0, List.of(new Nolint("RW102", "r", 1))));
        assertUsage("1_x.down.sql", "DROP INDEX b;\n-- runway:nolint RW102 r\n",
                ":2: nolint RW102 is not followed by a statement in the down section; put it right before the statement it covers");
    }

    @Test
    void flywayFiles() {
        write(dir, "V1__x.sql", "CREATE INDEX a ON t (x);\n-- runway:nolint RW101 r\nCREATE INDEX b ON t (y);\n");
        write(dir, "U1__x.sql", "DROP INDEX b;\n-- runway:nolint RW102 r\nDROP INDEX a;\n");
        Migration m = load();
        assertThat(m.upNolint()).isEqualTo(Map.of(1, List.of(new Nolint("RW101", "r", 2))));
        assertThat(m.downNolint()).isEqualTo(Map.of(1, List.of(new Nolint("RW102", "r", 2))));
        assertUsage("V1__x.sql", "CREATE INDEX a ON t (x);\n-- runway:nolint RW101 r\n",
                ":2: nolint RW101 is not followed by a statement in the up section; put it right before the statement it covers, "
                        + "or in the header to cover the whole file");
    }
}
