package dev.runway.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own readers of other runners' directories: order, up/down split, transaction opt-outs. */
class ReferenceReadersTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static List<String> ids(ReferenceHistory h) {
        return h.migrations().stream().map(RefMigration::id).collect(Collectors.toList());
    }

    @Test
    void golangMigrateOrdersVersionsNumericallyAndPairsDowns() throws IOException {
        write("10_b.up.sql", "SELECT 10;");
        write("9_a.up.sql", "SELECT 9;");
        write("9_a.down.sql", "SELECT -9;");
        write("atlas.sum", "h1:x");
        ReferenceHistory h = SourceTool.GOLANG_MIGRATE.read(dir, Map.of());
        assertThat(ids(h)).containsExactly("9", "10");
        assertThat(h.migrations().get(0).down()).isEqualTo("SELECT -9;");
        assertThat(h.migrations().get(1).down()).isNull();
        assertThat(h.skipped()).singleElement().asString().startsWith("atlas.sum");
    }

    @Test
    void gooseNoTransactionAnywhereInTheFileAndCaseInsensitive() throws IOException {
        write("1_a.sql", "-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX i;\n");
        write("2_b.sql", "-- +goose no transaction\n-- +goose up\nSELECT 2;\n");
        write("3_c.sql", "-- comment\n-- +goose Up\nSELECT 3;\n-- +goose Down\nSELECT -3;\n");
        write("4_d.go", "package x");
        ReferenceHistory h = SourceTool.GOOSE.read(dir, Map.of());
        assertThat(ids(h)).containsExactly("1", "2", "3");
        RefMigration a = h.migrations().get(0);
        assertThat(a.upTx()).isFalse();
        assertThat(a.downTx()).isFalse();
        assertThat(a.up()).isEqualTo("\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n\n");
        assertThat(a.down()).isEqualTo("\n\n\n\nDROP INDEX i;\n");
        assertThat(h.migrations().get(1).upTx()).isFalse();
        assertThat(h.migrations().get(1).down()).isNull();
        assertThat(h.migrations().get(2).upTx()).isTrue();
        assertThat(h.skipped()).singleElement().asString().contains("Go migration");
    }

    @Test
    void dbmateTransactionOptOutIsPerDirection() throws IOException {
        write("20240101000000_a.sql", "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n");
        RefMigration m = SourceTool.DBMATE.read(dir, Map.of()).migrations().get(0);
        assertThat(m.upTx()).isFalse();
        assertThat(m.downTx()).isTrue();
        assertThat(m.up().strip()).isEqualTo("CREATE INDEX CONCURRENTLY i ON t (a);");
    }

    @Test
    void sqlMigrateOrdersNumbersFirstThenNames() throws IOException {
        write("10_b.sql", "-- +migrate Up\nSELECT 10;\n");
        write("2_a.sql", "-- +migrate Up notransaction\nSELECT 2;\n-- +migrate Down\nSELECT -2;\n");
        write("2_b.sql", "-- +migrate Up\nSELECT 22;\n");
        write("x.sql", "-- +migrate Up\nSELECT 0;\n");
        ReferenceHistory h = SourceTool.SQL_MIGRATE.read(dir, Map.of());
        assertThat(h.migrations().stream().map(RefMigration::upFile)).containsExactly("2_a.sql", "2_b.sql", "10_b.sql", "x.sql");
        assertThat(h.migrations().get(0).upTx()).isFalse();
        assertThat(h.migrations().get(0).downTx()).isTrue();
    }

    @Test
    void sqlMigrateTakesOnlyTheExactWordsUpAndDownAsMarkers() throws IOException {
        write("1_a.sql", "-- +migrate Up\nSELECT 1;\n-- +migrate Down;\nSELECT 2;\n");
        RefMigration m = SourceTool.SQL_MIGRATE.read(dir, Map.of()).migrations().get(0);
        assertThat(m.up()).contains("SELECT 1;").contains("SELECT 2;");
        assertThat(m.down()).isNull();
    }

    @Test
    void dieselComparesDashlessVersionsAsStringsAndReadsMetadata() throws IOException {
        write("2024-01-01-000000_b/up.sql", "SELECT 2;");
        write("2024-01-01-000000_b/down.sql", "SELECT -2;");
        write("2024-01-01-000000_b/metadata.toml", "run_in_transaction = false\n");
        write("00000000000000_setup/up.sql", "SELECT 0;");
        write("2023-12-31-235959-0000_a/up.sql", "SELECT 1;");
        write("seed.sql", "SELECT 'seed';");
        ReferenceHistory h = SourceTool.DIESEL.read(dir, Map.of());
        assertThat(ids(h)).containsExactly("00000000000000", "202312312359590000", "20240101000000");
        assertThat(h.migrations().get(2).upTx()).isFalse();
        assertThat(h.migrations().get(2).downTx()).isFalse();
        assertThat(h.skipped()).singleElement().asString().startsWith("seed.sql");
    }

    @Test
    void flywayScansSubfoldersOrdersVersionsAndRunsRepeatablesLast() throws IOException {
        write("V1.10__c.sql", "SELECT 110;");
        write("sub/V1.9__b.sql", "CREATE TABLE ${schema}.t ();");
        write("V1_2__a.sql", "SELECT 12;");
        write("U1.2__a.sql", "SELECT -12;");
        write("R__view.sql", "SELECT 'r';");
        write("V1.10__c.sql.conf", "executeInTransaction=false\n");
        write("README.md", "x");
        ReferenceHistory h = SourceTool.FLYWAY.read(dir, Map.of("schema", "app"));
        assertThat(ids(h)).containsExactly("1.2", "1.9", "1.10", "R__view");
        assertThat(h.migrations().get(0).down()).isEqualTo("SELECT -12;");
        assertThat(h.migrations().get(1).up()).isEqualTo("CREATE TABLE app.t ();");
        assertThat(h.migrations().get(2).upTx()).isFalse();
        assertThatThrownBy(() -> SourceTool.FLYWAY.read(dir, Map.of())).hasMessageContaining("sub/V1.9__b.sql:1")
                .hasMessageContaining("${schema}");
        assertThat(SourceTool.FLYWAY.read(dir, null).migrations().get(1).up()).contains("${schema}");
    }

    @Test
    void liquibaseChangesetsRollbacksAndDbmsFilter() throws IOException {
        write("01-a.sql", "--liquibase formatted sql\n\n--changeset me:1\nCREATE TABLE t (id int);\n--rollback DROP TABLE t;\n\n"
                + "--changeset me:2 runInTransaction:false\nCREATE INDEX CONCURRENTLY i ON t (id);\n\n"
                + "--changeset me:3 dbms:oracle\nSELECT 1 FROM dual;\n");
        write("02-b.sql", "CREATE TABLE not_liquibase ();");
        ReferenceHistory h = SourceTool.LIQUIBASE.read(dir, Map.of());
        assertThat(ids(h)).containsExactly("1.1", "1.2");
        RefMigration one = h.migrations().get(0);
        assertThat(one.down().strip()).isEqualTo("DROP TABLE t;");
        assertThat(one.down().split("\n", -1)[4]).isEqualTo("DROP TABLE t;");
        assertThat(h.migrations().get(1).upTx()).isFalse();
        assertThat(h.migrations().get(1).down()).isNull();
        assertThat(h.skipped()).hasSize(2);
    }
}
