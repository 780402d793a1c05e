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
    void transactionNoneWithBeginCommitRunsTheBlocksAsUnits() {
        Migration m = loadOne("-- runway:transaction none\n-- runway:up\nBEGIN;\nALTER TABLE a ADD b int;\nCOMMIT;\n"
                + "CREATE INDEX CONCURRENTLY i ON a (b);\n-- runway:down\nDROP INDEX CONCURRENTLY i;\nALTER TABLE a DROP b;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.EXPLICIT);
        assertThat(m.upUnits()).containsExactly(new Unit(0, 3, true, true, true, false), Unit.statement(3));
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downUnits()).containsExactly(Unit.statement(0), Unit.statement(1));
    }

    @Test
    void oneBeginCommitBlockIsATransactionalMigration() {
        Migration m = loadOne("-- runway:up\nSET search_path = app;\nBEGIN;\nALTER TABLE a ADD b int;\nCOMMIT;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(m.upUnits()).containsExactly(Unit.statement(0), new Unit(1, 4, true, true, true, false));
        assertThat(loadOne("-- runway:up\nSTART TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nEND;\n").transactionMode())
                .isEqualTo(TransactionMode.TRANSACTIONAL);
    }

    @Test
    void severalBlocksAndStatementsBetweenRunUnitByUnit() {
        Migration m = loadOne("-- runway:up\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);\n"
                + "INSERT INTO a VALUES (1);\nBEGIN;\nSAVEPOINT s;\nALTER TABLE a ADD b int;\nROLLBACK TO s;\nCOMMIT;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.EXPLICIT);
        assertThat(m.upUnits()).containsExactly(new Unit(0, 3, true, true, true, false), Unit.statement(3), Unit.statement(4),
                new Unit(5, 10, true, true, true, false));
    }

    @Test
    void aBlockEndingInRollbackIsAUnit() {
        Migration m = loadOne("-- runway:up\nBEGIN;\nDELETE FROM a;\nROLLBACK;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.EXPLICIT);
        assertThat(m.upUnits()).containsExactly(new Unit(0, 3, true, true, true, true));
    }

    @Test
    void theCommitBeginEscapeClosesTheRunnersTransaction() {
        Migration m = loadOne("-- runway:up\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);\nBEGIN;\n"
                + "INSERT INTO a VALUES (1);\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.EXPLICIT);
        assertThat(m.upUnits()).containsExactly(new Unit(0, 2, true, false, true, false), Unit.statement(2),
                new Unit(3, 5, true, true, false, false));
        assertThat(loadOne("-- runway:up\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON a (id);\nBEGIN;\n").upUnits())
                .containsExactly(new Unit(0, 1, true, false, true, false), Unit.statement(1), new Unit(2, 3, true, true, false, false));
    }

    @Test
    void savepointsRunInsideRunwaysTransaction() {
        Migration m = loadOne("-- runway:up\nSAVEPOINT s;\nCREATE TABLE a (id int);\nRELEASE SAVEPOINT s;\n");
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(m.upUnits()).isEmpty();
    }

    @Test
    void unbalancedControlIsRefusedWithItsLine() {
        assertRefused("-- runway:up\nBEGIN;\nALTER TABLE a ADD b int;\n", ":2: BEGIN is never committed; end the block with COMMIT");
        assertRefused("-- runway:up\nBEGIN;\nSELECT 1;\nCOMMIT;\nSELECT 2;\nCOMMIT;\n",
                ":6: COMMIT with no transaction open (the last block ended on line 4); remove it, or add the BEGIN it ends");
        assertRefused("-- runway:up\nSELECT 1;\nROLLBACK;\n", ":3: ROLLBACK with no transaction open; remove it, or add the BEGIN it ends");
        assertRefused("-- runway:up\nBEGIN;\nBEGIN;\nCOMMIT;\n",
                ":3: BEGIN inside the transaction block opened on line 2 (PostgreSQL keeps one transaction and only warns);"
                        + " remove one of them");
        assertRefused("-- runway:up\nBEGIN;\nCOMMIT;\nSAVEPOINT s;\n",
                ":4: SAVEPOINT outside a transaction block (PostgreSQL refuses it there); put it between BEGIN and COMMIT");
        assertRefused("-- runway:transaction none\n-- runway:up\nRELEASE s;\n",
                ":3: RELEASE outside a transaction block (PostgreSQL refuses it there); put it between BEGIN and COMMIT");
        assertRefused("-- runway:up\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON a (b);\nCOMMIT;\n",
                ":3: CREATE INDEX CONCURRENTLY cannot run inside the transaction block opened on line 2; move it outside the block");
        assertRefused("-- runway:up\nBEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\nCOMMIT;\n",
                ":4: COMMIT AND CHAIN is not supported in a migration; end the block with COMMIT and start the next one with BEGIN");
        assertRefused("-- runway:up\nBEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';\n",
                ":4: PREPARE TRANSACTION (two-phase commit) is not supported in a migration");
    }

    @Test
    void aDownFileDecidesItsOwnTransactionMode() {
        write(dir, "1_x.up.sql", "-- runway:transaction none\nCREATE INDEX CONCURRENTLY i ON a (b);\nSELECT 1;\n");
        write(dir, "1_x.down.sql", "DROP INDEX i;\nSELECT 1;\n");
        write(dir, "2_y.up.sql", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n");
        write(dir, "2_y.down.sql", "-- runway:transaction none\nDROP INDEX CONCURRENTLY bi;\nDROP TABLE b;\n");
        var ms = MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
        assertThat(ms.get(0).transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(ms.get(0).downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(ms.get(1).transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(ms.get(1).downTransactionMode()).isEqualTo(TransactionMode.NONE);
    }

    @Test
    void aDownFileTakesOnlyTheTransactionDirectiveAtItsTop() {
        write(dir, "1_x.up.sql", "SELECT 1;\n");
        DirFixture.assertUsage(dir, "1_x.down.sql", "-- runway:lock-timeout 3s\nSELECT 1;\n",
                ":1: '-- runway:lock-timeout' is a directive for the whole migration; put it at the top of the up file 1_x.up.sql"
                        + " (only nolint may also sit right before a statement)");
        DirFixture.assertUsage(dir, "1_x.down.sql", "SELECT 1;\n-- runway:transaction none\nSELECT 2;\n",
                ":2: '-- runway:transaction' is a directive for the whole migration; put it at the top of this down file, before"
                        + " the first statement (only nolint may also sit right before a statement)");
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
