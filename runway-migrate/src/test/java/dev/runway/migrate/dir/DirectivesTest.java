package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -- runway:<name> <value>} directives: values, placement and errors. */
class DirectivesTest {
    @TempDir
    Path dir;

    private Migration loadOne(String name, String text) {
        write(dir, name, text);
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations().get(0);
    }

    private void assertUsage(String name, String text, String message) {
        DirFixture.assertUsage(dir, name, text, message);
    }

    @Test
    void allDirectives() {
        Migration m = loadOne("1_x.sql", "-- A comment about the migration\n"
                + "-- runway:transaction none\n-- runway:lock-timeout 3s\n--runway:statement-timeout 2m\n"
                + "-- runway:retries 0\n-- runway:nolint RW101 table is tiny\n-- runway:nolint RW202  reviewed   by ops\n"
                + "-- runway:backfill table=users key=id batch=5000 pause=20ms max-lag=2s\n\n-- runway:up\nSELECT 1;\n");
        Directives d = m.directives();
        assertThat(d.transaction()).isEqualTo(TransactionMode.NONE);
        assertThat(d.lockTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.statementTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.retries()).isZero();
        assertThat(d.nolint()).containsExactly(new Nolint("RW101", "table is tiny", 6),
                new Nolint("RW202", "reviewed   by ops", 7));
        assertThat(d.backfill()).containsKeys("table", "key", "batch", "pause", "max-lag");
        assertThat(d.backfill().keySet()).containsExactly("table", "key", "batch", "pause", "max-lag");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
    }

    @Test
    void noDirectives() {
        Migration m = loadOne("1_x.sql", "-- runway:up\nSELECT 1;\n");
        assertThat(m.directives()).isEqualTo(Directives.NONE);
        assertThat(Directives.NONE.nolint()).isEmpty();
        assertThat(Directives.NONE.backfill()).isEmpty();
    }

    @Test
    void unknownDirective() {
        assertUsage("1_x.sql", "-- runway:foo bar\n-- runway:up\nSELECT 1;\n", ":1: unknown directive 'runway:foo' "
                + "(known: transaction, lock-timeout, statement-timeout, retries, nolint, backfill, allow-empty)");
    }

    @Test
    void nolintNeedsAReasonAndARuleId() {
        assertUsage("1_x.sql", "\n-- runway:nolint RW101\n-- runway:up\nSELECT 1;\n",
                ":2: nolint RW101 needs a reason, e.g. '-- runway:nolint RW101 table is empty in every environment'");
        assertUsage("1_x.sql", "-- runway:nolint no-lock-timeout because\n-- runway:up\nSELECT 1;\n",
                ":1: nolint rule 'no-lock-timeout' is not a rule id (write e.g. RW101)");
    }

    @Test
    void repeatedDirectiveNamesBothLines() {
        assertUsage("1_x.sql", "-- runway:lock-timeout 1s\n-- x\n-- runway:lock-timeout 2s\n-- runway:up\nSELECT 1;\n",
                ":3: lock-timeout given twice (lines 1 and 3); keep one");
        assertUsage("1_x.sql", "-- runway:nolint RW101 a\n-- runway:nolint RW101 b\n-- runway:up\nSELECT 1;\n",
                ":2: nolint RW101 given twice (lines 1 and 2); keep one");
    }

    @Test
    void badValues() {
        assertUsage("1_x.sql", "-- runway:lock-timeout soon\n-- runway:up\nSELECT 1;\n",
                ":1: lock-timeout: 'soon' is not a duration (write e.g. 500ms, 3s, 2m, 1h)");
        assertUsage("1_x.sql", "-- runway:statement-timeout\n-- runway:up\nSELECT 1;\n",
                ":1: statement-timeout needs a value, e.g. '-- runway:statement-timeout 5m'");
        assertUsage("1_x.sql", "-- runway:retries 101\n-- runway:up\nSELECT 1;\n",
                ":1: retries must be a whole number from 0 to 100 (got '101')");
        assertUsage("1_x.sql", "-- runway:retries -1\n-- runway:up\nSELECT 1;\n",
                ":1: retries must be a whole number from 0 to 100 (got '-1')");
        assertUsage("1_x.sql", "-- runway:transaction off\n-- runway:up\nSELECT 1;\n",
                ":1: transaction takes 'none' (got 'off'); without the directive the migration runs in one transaction");
        assertUsage("1_x.sql", "-- runway:backfill table=users key\n-- runway:up\nSELECT 1;\n",
                ":1: backfill takes key=value pairs separated by spaces (got 'key')");
        assertUsage("1_x.sql", "-- runway:backfill a=1 a=2\n-- runway:up\nSELECT 1;\n",
                ":1: backfill key 'a' given twice");
    }

    @Test
    void directiveAfterUpMarker() {
        assertUsage("1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:lock-timeout 1s\n",
                ":3: '-- runway:lock-timeout' is a directive for the whole migration; put it in the header, "
                        + "before '-- runway:up' (only nolint may also sit right before a statement)");
    }

    @Test
    void directivesAtTopOfPairedAndFlywayFiles() {
        Migration m = loadOne("V1__x.sql", "-- runway:lock-timeout 5s\nSELECT 1;\n");
        assertThat(m.directives().lockTimeout()).hasSeconds(5);
        assertUsage("V1__x.sql", "SELECT 1;\n-- runway:lock-timeout 5s\n",
                ":2: '-- runway:lock-timeout' is a directive for the whole migration; put it at the top of the file, "
                        + "before the first statement (only nolint may also sit right before a statement)");
    }

    @Test
    void optionalUpMarkerInPairedFileAndNoDownMarker() {
        Migration m = loadOne("1_x.up.sql", "-- runway:retries 2\n-- runway:up\nSELECT 1;\n");
        assertThat(m.up()).hasSize(1);
        assertThat(m.directives().retries()).isEqualTo(2);
        assertUsage("1_x.up.sql", "-- runway:up\nSELECT 1;\n-- runway:down\nSELECT 2;\n",
                ":3: '-- runway:down' does not belong in this file; put the down migration in 1_x.down.sql");
    }

    @Test
    void upMarkerAfterFirstStatementInPairedFile() {
        assertUsage("1_x.up.sql", "SELECT 1;\n-- runway:up\nSELECT 2;\n",
                ":2: '-- runway:up' after the first statement; the whole file is the up migration, "
                        + "so leave the marker out or put it at the top");
    }

    @Test
    void upMarkerInFlywayUndoFile() {
        write(dir, "V1__x.sql", "SELECT 1;\n");
        assertUsage("U1__x.sql", "-- runway:up\nSELECT 2;\n",
                ":1: '-- runway:up' does not belong in this file; this is the down file of V1__x.sql");
    }

    @Test
    void noDirectivesInDownFiles() {
        write(dir, "1_x.up.sql", "SELECT 1;\n");
        assertUsage("1_x.down.sql", "-- runway:lock-timeout 1s\nSELECT 2;\n",
                ":1: '-- runway:lock-timeout' is a directive for the whole migration; put it at the top of the up file "
                        + "1_x.up.sql (only nolint may also sit right before a statement)");
    }
}
