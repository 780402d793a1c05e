package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The effective transaction mode of the up and down sections. */
class TransactionModeTest {
    @TempDir
    Path dir;

    private Migration loadOne(String text) {
        write(dir, "1_x.sql", text);
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations().get(0);
    }

    private void assertRefused(String text, String message) {
        write(dir, "1_x.sql", text);
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA))
                .hasMessage(dir.resolve("1_x.sql") + message);
    }

    @Test
    void ordinaryDdlIsTransactional() {
        Migration m = loadOne("-- runway:up\nALTER TABLE a ADD b int;\nCREATE INDEX i ON a (b);\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
    }

    @Test
    void onlyNonTransactionalStatementsRunWithoutTransactionAutomatically() {
        Migration m = loadOne("-- runway:up\nCREATE INDEX CONCURRENTLY i ON a (b);\nDROP INDEX CONCURRENTLY j;\n"
                + "-- runway:down\nDROP INDEX CONCURRENTLY i;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.NONE);
    }

    @Test
    void sessionSettingsDoNotNeedATransaction() {
        Migration m = loadOne("-- runway:up\nSET maintenance_work_mem = '1GB';\nCREATE INDEX CONCURRENTLY i ON a (b);\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
    }

    @Test
    void downSectionHasItsOwnMode() {
        Migration m = loadOne("-- runway:up\nCREATE INDEX CONCURRENTLY i ON a (b);\n-- runway:down\nDROP INDEX i;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
    }

    @Test
    void mixingIsRefusedWithBothLines() {
        assertRefused("-- runway:up\nALTER TABLE a ADD b int;\n\nCREATE INDEX CONCURRENTLY i ON a (b);\n",
                ":4: CREATE INDEX CONCURRENTLY cannot run in a transaction, but line 2 (ALTER TABLE) needs one; "
                        + "split the file or add '-- runway:transaction none'");
    }

    @Test
    void mixingInDownSectionIsRefusedToo() {
        assertRefused("-- runway:up\nSELECT 1;\n-- runway:down\nVACUUM a;\nDELETE FROM a;\n",
                ":4: VACUUM cannot run in a transaction, but line 5 (DELETE) needs one; "
                        + "split the file or add '-- runway:transaction none'");
    }

    @Test
    void transactionNoneAllowsMixingAndBeginCommit() {
        Migration m = loadOne("-- runway:transaction none\n-- runway:up\nBEGIN;\nALTER TABLE a ADD b int;\nCOMMIT;\n"
                + "CREATE INDEX CONCURRENTLY i ON a (b);\n-- runway:down\nDROP INDEX CONCURRENTLY i;\nALTER TABLE a DROP b;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.NONE);
    }

    @Test
    void beginCommitInATransactionalFileIsRefused() {
        assertRefused("-- runway:up\nBEGIN;\nALTER TABLE a ADD b int;\nCOMMIT;\n",
                ":2: BEGIN: Runway runs each migration in its own transaction; "
                        + "remove BEGIN/COMMIT or use '-- runway:transaction none'");
    }

    @Test
    void commitInsideDoBlockIsFine() {
        Migration m = loadOne("-- runway:up\nDO $$ BEGIN PERFORM 1; END $$;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
    }

    @Test
    void emptySectionsAreTransactional() {
        Migration m = loadOne("-- runway:up\n-- runway:down\n");
        assertThat(m.up()).isEmpty();
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
    }
}
