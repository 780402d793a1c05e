package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.assertUsage;
import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.sql.SqlStatement;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other runners' layouts and markers, read as they are (docs/adoption.md "Layouts"). */
class LayoutsTest {
    @TempDir
    Path dir;

    private List<Migration> load() {
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
    }

    private static List<String> sql(List<SqlStatement> l) {
        return l == null ? null : l.stream().map(SqlStatement::sql).toList();
    }

    @Test
    void dieselFoldersWithDashedVersionsMetadataAndLooseFiles() {
        write(dir, "00000000000000_diesel_initial_setup/up.sql", "SELECT 0;\n");
        write(dir, "2019-02-26-002946_create_user/up.sql", "CREATE TABLE u (id int);\n");
        write(dir, "2019-02-26-002946_create_user/down.sql", "DROP TABLE u;\n");
        write(dir, "2026-07-30-140000-0000_idx/up.sql", "CREATE INDEX CONCURRENTLY i ON u (id);\nSELECT 1;\n");
        write(dir, "2026-07-30-140000-0000_idx/metadata.toml", "run_in_transaction = false\n");
        write(dir, "seed.sql", "INSERT INTO u VALUES (1);\n"); // Diesel reads only folders
        List<Migration> ms = load();
        assertThat(ms).extracting(m -> m.version().text()).containsExactly("00000000000000", "20190226002946", "202607301400000000");
        assertThat(ms).extracting(Migration::layout).containsOnly(Layout.DIESEL);
        assertThat(ms.get(2).transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(ms.get(1).downFile().toString()).endsWith("2019-02-26-002946_create_user/down.sql");
        write(dir, "2026-07-30-140000-0000_idx/metadata.toml", "run_in_transaction = \"no\"\n");
        assertUsage(dir, "2026-07-30-140000-0000_idx/metadata.toml", "run_in_transaction = \"no\"\n",
                ":1: run_in_transaction must be true or false");
    }

    @Test
    void gooseMarkersInAnyCaseNoTransactionAnywhereStatementBlocksAsBoundaries() {
        write(dir, "00001_a.sql", "-- a comment\n-- +goose Up\nCREATE TABLE a (id int);\n-- +goose StatementBegin\n"
                + "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$\n-- +goose StatementEnd\nSELECT f();\n"
                + "-- +goose Down\nDROP FUNCTION f();\nDROP TABLE a;\n");
        write(dir, "00002_b.sql", "-- +goose no transaction\n-- +goose up\nCREATE INDEX CONCURRENTLY i ON a (id);\n");
        write(dir, "00003_c.sql", "-- +goose Up\n-- +goose NO TRANSACTION\nSELECT 1;\n-- +goose Down\nSELECT 2;\n");
        List<Migration> ms = load();
        assertThat(ms).extracting(Migration::layout).containsOnly(Layout.GOOSE);
        assertThat(sql(ms.get(0).up())).containsExactly("CREATE TABLE a (id int)",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", "SELECT f()");
        assertThat(sql(ms.get(0).down())).containsExactly("DROP FUNCTION f()", "DROP TABLE a");
        assertThat(ms.get(0).up().get(1).line()).isEqualTo(5);
        assertThat(ms.get(1).down()).as("no Down annotation: no down section").isNull();
        assertThat(ms.get(1).transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(ms.get(2).transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(ms.get(2).downTransactionMode()).as("NO TRANSACTION covers both directions").isEqualTo(TransactionMode.NONE);
    }

    @Test
    void gooseMistakesNameTheLine() {
        assertUsage(dir, "1_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Sideways\n",
                ":3: unknown goose annotation '+goose Sideways' (known: Up, Down, StatementBegin, StatementEnd, NO TRANSACTION)");
        assertUsage(dir, "1_a.sql", "SELECT 0;\n-- +goose Up\nSELECT 1;\n", ":1: statement before '-- +goose Up'; only comments go above it");
        assertUsage(dir, "1_a.sql", "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n",
                ":2: '-- +goose StatementBegin' without '-- +goose StatementEnd'");
        assertUsage(dir, "1_a.sql", "-- +goose Up\n-- +goose ENVSUB ON\nSELECT '${X}';\n",
                ":2: '-- +goose ENVSUB ON' (environment substitution) is not supported; write the values into the file");
        assertUsage(dir, "1_a.sql", "-- +goose Up\nSELECT 1;\n-- +goose Up\n",
                ":3: second '-- +goose Up' (the first is on line 1); Runway reads one up and one down section per file");
    }

    @Test
    void dbmateSectionsWithTransactionOptionsPerDirection() {
        write(dir, "20240101000000_a.sql", "-- migrate:up transaction:false\ncreate index concurrently i on t (x);\n"
                + "-- migrate:upgrade is just a comment\n\n-- migrate:down\ndrop index i;\n");
        Migration m = load().get(0);
        assertThat(m.layout()).isEqualTo(Layout.DBMATE);
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(sql(m.down())).containsExactly("drop index i");
        assertUsage(dir, "20240101000000_a.sql", "-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n-- migrate:up\nselect 3;\n",
                ":5: second '-- migrate:up' (the first is on line 1); Runway reads one up and one down section per file");
    }

    @Test
    void sqlMigrateSectionsNotransactionAndStatementBlocks() {
        write(dir, "001_a.sql", "-- +migrate Up notransaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n"
                + "-- +migrate Down\n-- +migrate StatementBegin\nDROP INDEX i\n-- +migrate StatementEnd\n");
        Migration m = load().get(0);
        assertThat(m.layout()).isEqualTo(Layout.SQL_MIGRATE);
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(sql(m.down())).containsExactly("DROP INDEX i");
    }

    @Test
    void runwayDirectivesMayAnnotateOtherRunnersFiles() {
        write(dir, "1_a.sql", "-- runway:nolint RW101 the table is empty everywhere\n-- runway:lock-timeout 3s\n-- +goose Up\n"
                + "-- runway:nolint RW120 staging only\nTRUNCATE t;\n");
        Migration m = load().get(0);
        assertThat(m.directives().lockTimeout()).hasSeconds(3);
        assertThat(m.directives().nolint()).extracting(Nolint::rule).containsExactly("RW101");
        assertThat(m.upNolint().get(0)).extracting(Nolint::rule).containsExactly("RW120");
        assertUsage(dir, "1_a.sql", "-- +goose Up\nSELECT 1;\n-- runway:down\n",
                ":3: '-- runway:down' does not belong in a goose file; its own markers ('-- +goose Up', '-- +goose Down') already split it");
    }

    @Test
    void flywaySubfoldersAtAnyDepthButNotTheDataFolder() {
        write(dir, "V1__a.sql", "SELECT 1;\n");
        write(dir, "release-2/V2__b.sql", "SELECT 2;\n");
        write(dir, "release-2/more/V2_1__c.sql", "SELECT 3;\n");
        write(dir, "release-2/more/U2_1__c.sql", "SELECT 4;\n");
        write(dir, "views/R__v.sql", "SELECT 5;\n");
        write(dir, "views/notes.sql", "not a migration, as Flyway ignores it too");
        write(dir, "data/V9__not_schema.sql", "SELECT 9;\n");
        List<Migration> ms = load();
        assertThat(ms).extracting(m -> m.version().text()).containsExactly("1", "2", "2.1", "R__v");
        assertThat(ms.get(2).downFile().toString()).endsWith("release-2/more/U2_1__c.sql");
        SumFile.write(dir);
        SumFile.verify(dir);
    }

    @Test
    void flywayPlaceholders() {
        write(dir, "V1__a.sql", "-- owner ${owner}\nCREATE TABLE ${schema}.t (id int); -- by ${flyway:filename}\n");
        Placeholders values = new Placeholders(true, Map.of("owner", "app", "SCHEMA", "s1"));
        Migration m = MigrationDirectory.load(dir, MigrationKind.SCHEMA, values).migrations().get(0);
        assertThat(sql(m.up())).containsExactly("CREATE TABLE s1.t (id int)");
        write(dir, "V1__a.sql", "SELECT 1;\n\nSELECT '${missing}';\n");
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA, values))
                .hasMessage(dir.resolve("V1__a.sql") + ":3: placeholder ${missing} has no value; set it in runway.toml"
                        + " ([placeholders] missing = \"...\") or as RUNWAY_PLACEHOLDERS_MISSING, or turn replacement off"
                        + " (placeholder_replacement = false)");
        Migration asWritten = MigrationDirectory.load(dir, MigrationKind.SCHEMA, new Placeholders(false, Map.of())).migrations().get(0);
        assertThat(sql(asWritten.up())).containsExactly("SELECT 1", "SELECT '${missing}'");
        write(dir, "2_native.sql", "-- runway:up\nSELECT '${not_flyway}';\n");
        assertThat(MigrationDirectory.load(dir, MigrationKind.SCHEMA, new Placeholders(false, Map.of())).migrations()).hasSize(2);
        write(dir, "V1__a.sql", "SELECT 1;\n");
        assertThat(sql(MigrationDirectory.load(dir, MigrationKind.SCHEMA, Placeholders.NONE).migrations().get(1).up()))
                .as("only Flyway files have placeholders").containsExactly("SELECT '${not_flyway}'");
    }

    @Test
    void liquibaseChangesetsAreMigrationsNumberedByChangelogAndPlace() {
        write(dir, "b-changelog.sql", "--liquibase formatted sql\n\n--changeset bob:1\nCREATE TABLE t (id int);\n--rollback DROP TABLE t;\n"
                + "\n--changeset bob:skip dbms:mysql,oracle\nSELECT 'not here';\n"
                + "\n--changeset bob:2 runInTransaction:false runOnChange:true\nCREATE INDEX CONCURRENTLY i ON t (id);\n");
        write(dir, "a-changelog.sql", "-- liquibase formatted sql\n--changeset \"Ann Lee\":x-1 endDelimiter:GO\n"
                + "SELECT 1\nGO\nSELECT 2\nGO\n/* liquibase rollback\nSELECT 3;\nSELECT 4;\n*/\n--changeset ann:x-2 dbms:!oracle\nSELECT 5;\n");
        List<Migration> ms = load();
        assertThat(ms).extracting(m -> m.version().text()).containsExactly("1.1", "1.2", "2.1", "2.3");
        assertThat(ms).extracting(Migration::description).containsExactly("Ann Lee:x-1", "ann:x-2", "bob:1", "bob:2");
        assertThat(ms.get(0).displayName()).isEqualTo("a-changelog.sql::Ann Lee:x-1");
        assertThat(sql(ms.get(0).up())).containsExactly("SELECT 1", "SELECT 2");
        assertThat(sql(ms.get(0).down())).containsExactly("SELECT 3", "SELECT 4");
        assertThat(ms.get(0).down().get(1).line()).isEqualTo(9);
        assertThat(ms.get(1).down()).isNull();
        assertThat(sql(ms.get(2).down())).containsExactly("DROP TABLE t");
        assertThat(ms.get(3).transactionMode()).isEqualTo(TransactionMode.NONE);
        assertThat(ms.get(3).rerunsOnChange()).isTrue();
        assertThat(ms).extracting(Migration::layout).containsOnly(Layout.LIQUIBASE);
    }

    @Test
    void numberedLiquibaseChangelogsKeepTheirNumbers() {
        write(dir, "01-init.sql", "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n--changeset a:2\nSELECT 2;\n");
        write(dir, "12-closure.sql", "--liquibase formatted sql\n--changeset a:3\nSELECT 3;\n");
        assertThat(load()).extracting(m -> m.version().text()).containsExactly("01.1", "01.2", "12.1");
        write(dir, "12-other.sql", "--liquibase formatted sql\n--changeset a:4\nSELECT 4;\n");
        assertThat(load()).as("two changelogs numbered 12: by place").extracting(m -> m.version().text())
                .containsExactly("1.1", "1.2", "2.1", "3.1");
        write(dir, "scripts/fk.sql", "--liquibase formatted sql\n--changeset a:5\nSELECT 5;\n");
        write(dir, "scripts/notes.sql", "-- not a changelog: ignored, as in a Flyway subfolder\n");
        assertThat(load()).as("changelogs in subfolders are read, in path order").extracting(Migration::displayName)
                .containsExactly("01-init.sql::a:1", "01-init.sql::a:2", "12-closure.sql::a:3", "12-other.sql::a:4", "fk.sql::a:5");
        SumFile.write(dir);
        DirectoryIndex.read(dir, MigrationKind.SCHEMA).verifySum();
    }

    @Test
    void liquibaseMistakesNameTheLine() {
        String head = "--liquibase formatted sql\n";
        assertUsage(dir, "c.sql", head + "--changeset alice\nSELECT 1;\n",
                ":2: a changeset needs an author and an id: '--changeset <author>:<id>' (no space after the colon)");
        assertUsage(dir, "c.sql", head + "--changeset alice:1 runAlways:true\nSELECT 1;\n",
                ":2: runAlways:true is not supported by Runway (a migration runs once); use runOnChange:true, or a repeatable Flyway R__ file");
        assertUsage(dir, "c.sql", head + "--changeset alice:1\n--preconditions onFail:MARK_RAN\nSELECT 1;\n",
                ":3: Liquibase 'preconditions' is not supported by Runway; express it in SQL or drop it (see docs/adoption.md)");
        assertUsage(dir, "c.sql", head + "--changeset alice:1\n--comment: nothing else\n", ":2: changeset alice:1 has no SQL");
        assertUsage(dir, "c.sql", head + "SELECT 1;\n--changeset alice:1\nSELECT 1;\n",
                ":2: SQL before the first '--changeset' (Liquibase runs only changesets)");
    }

    @Test
    void anotherRunnersBrokenDownIsReportedWhenNeededNotWhenTheUpsRun() {
        write(dir, "2024-04-12-144536_x/up.sql", "ALTER TABLE c DROP COLUMN d;\n");
        write(dir, "2024-04-12-144536_x/down.sql", "ALTER TABLE c ADD COLUMN d int;\nCREATE INDEX CONCURRENTLY i ON c (d);\n");
        Migration m = load().get(0);
        assertThat(m.downProblem()).isEqualTo(dir.resolve("2024-04-12-144536_x/down.sql") + ":2: CREATE INDEX CONCURRENTLY cannot"
                + " run in a transaction, but line 1 (ALTER TABLE) needs one; split the file or add '-- runway:transaction none'");
        assertUsage(dir, "1_native.sql", "-- runway:up\nSELECT 1;\n-- runway:down\nSELECT 1;\nVACUUM;\n",
                ":5: VACUUM cannot run in a transaction, but line 4 (SELECT) needs one; split the file or add '-- runway:transaction none'");
    }

    @Test
    void twoRunnersInOneDirectoryAreRefusedButRunwaysOwnFilesMixWithAny() {
        write(dir, "1_a.sql", "-- +goose Up\nSELECT 1;\n");
        write(dir, "2_b.sql", "-- runway:up\nSELECT 2;\n");
        assertThat(load()).extracting(Migration::layout).containsExactly(Layout.GOOSE, Layout.RUNWAY);
        assertUsage(dir, "3_c.sql", "-- migrate:up\nSELECT 3;\n",
                ": a dbmate migration in a directory of goose migrations (1_a.sql); one directory holds one runner's files"
                        + " (plus Runway's own): move one set to its own directory");
    }
}
