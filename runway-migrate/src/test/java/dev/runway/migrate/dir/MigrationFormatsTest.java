package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static dev.runway.migrate.dir.DirFixture.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accepted file layouts, name rules and directory-level errors. */
class MigrationFormatsTest {
    @TempDir
    Path dir;

    private MigrationDirectory load() {
        return MigrationDirectory.load(dir, MigrationKind.SCHEMA);
    }

    private void assertUsage(String messagePart) {
        assertThatThrownBy(this::load).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining(messagePart);
    }

    @Test
    void nativeFileWithUpAndDown() {
        Path f = write(dir, "20250301120000_add_orders_status.sql",
                "-- runway:lock-timeout 3s\n-- runway:up\nALTER TABLE orders ADD COLUMN status text;\n\n"
                        + "-- runway:down\nALTER TABLE orders DROP COLUMN status;\n");
        Migration m = load().migrations().get(0);
        assertThat(m.version()).isEqualTo(MigrationVersion.parse("20250301120000"));
        assertThat(m.name()).isEqualTo("add orders status");
        assertThat(m.description()).isEqualTo("add_orders_status");
        assertThat(m.displayName()).isEqualTo("20250301120000_add_orders_status.sql");
        assertThat(m.kind()).isEqualTo(MigrationKind.SCHEMA);
        assertThat(m.file()).isEqualTo(f);
        assertThat(m.downFile()).isEqualTo(f);
        assertThat(m.up()).extracting(SqlStatement::sql).containsExactly("ALTER TABLE orders ADD COLUMN status text");
        assertThat(m.up().get(0).line()).isEqualTo(3);
        assertThat(m.down()).extracting(SqlStatement::sql).containsExactly("ALTER TABLE orders DROP COLUMN status");
        assertThat(m.down().get(0).line()).isEqualTo(6);
        assertThat(m.directives().lockTimeout()).hasSeconds(3);
        assertThat(m.transactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(m.downTransactionMode()).isEqualTo(TransactionMode.TRANSACTIONAL);
        assertThat(m.checksum()).startsWith("sha256:").hasSize(7 + 64);
        assertThat(m.reversible()).isTrue();
    }

    @Test
    void nativeFileWithoutDownOrWithEmptyDown() {
        write(dir, "1_a.sql", "-- runway:up\nSELECT 1");
        write(dir, "2_b.sql", "-- runway:up\nSELECT 2;\n-- runway:down\n-- nothing to undo\n");
        List<Migration> ms = load().migrations();
        assertThat(ms.get(0).down()).isNull();
        assertThat(ms.get(0).downFile()).isNull();
        assertThat(ms.get(0).downTransactionMode()).isNull();
        assertThat(ms.get(1).down()).isEmpty();
        assertThat(ms.get(1).downFile()).isEqualTo(ms.get(1).file());
    }

    @Test
    void upSectionWithoutFinalSemicolonStopsAtDownMarker() {
        write(dir, "1_a.sql", "-- runway:up\nCREATE TABLE a (id int)\n-- runway:down\nDROP TABLE a\n");
        Migration m = load().migrations().get(0);
        assertThat(m.up()).extracting(SqlStatement::sql).containsExactly("CREATE TABLE a (id int)");
        assertThat(m.down()).extracting(SqlStatement::sql).containsExactly("DROP TABLE a");
        assertThat(m.down().get(0).line()).isEqualTo(4);
    }

    @Test
    void markersInsideBodiesAndBlockCommentsDoNotCount() {
        write(dir, "1_a.sql", "-- runway:up\nCREATE FUNCTION f() RETURNS int AS $fn$\n-- runway:down\nSELECT 1;\n$fn$ LANGUAGE sql;\n"
                + "/*\n-- runway:down\n*/\nSELECT 2;\n");
        Migration m = load().migrations().get(0);
        assertThat(m.up()).hasSize(2);
        assertThat(m.down()).isNull();
    }

    @Test
    void nativeFileWithoutUpMarker() {
        write(dir, "20250301_x.sql", "ALTER TABLE a ADD COLUMN b int;\n");
        assertUsage("20250301_x.sql: no '-- runway:up' marker; add '-- runway:up' before the first statement");
    }

    @Test
    void statementBeforeUpMarker() {
        write(dir, "1_x.sql", "-- note\n\nSELECT 1;\n-- runway:up\nSELECT 2;\n");
        assertUsage("1_x.sql:3: statement before '-- runway:up'");
    }

    @Test
    void markerProblems() {
        write(dir, "1_x.sql", "-- runway:up\nSELECT 1; -- runway:down\nSELECT 2;\n");
        assertUsage("1_x.sql:2: '-- runway:down' must be on a line of its own");
    }

    @Test
    void downBeforeUpAndRepeatedMarkers() {
        write(dir, "1_x.sql", "-- runway:down\n-- runway:up\nSELECT 1;\n");
        assertUsage("1_x.sql:1: '-- runway:down' before '-- runway:up'");
        write(dir, "1_x.sql", "-- runway:up\nSELECT 1;\n-- runway:up\n");
        assertUsage("1_x.sql:3: second '-- runway:up' (the first is on line 1)");
    }

    @Test
    void pairedFiles() {
        Path up = write(dir, "20250301120000_add_x.up.sql", "-- runway:statement-timeout 5m\nALTER TABLE a ADD x int;\n");
        Path down = write(dir, "20250301120000_add_x.down.sql", "ALTER TABLE a DROP x;\n");
        write(dir, "20250302120000_only_up.up.sql", "SELECT 1;\n");
        List<Migration> ms = load().migrations();
        Migration m = ms.get(0);
        assertThat(m.file()).isEqualTo(up);
        assertThat(m.downFile()).isEqualTo(down);
        assertThat(m.description()).isEqualTo("add_x");
        assertThat(m.displayName()).isEqualTo("20250301120000_add_x.up.sql");
        assertThat(m.up()).extracting(SqlStatement::line).containsExactly(2);
        assertThat(m.down()).extracting(SqlStatement::sql).containsExactly("ALTER TABLE a DROP x");
        assertThat(m.directives().statementTimeout()).hasMinutes(5);
        assertThat(ms.get(1).down()).isNull();
        assertThat(ms.get(1).downFile()).isNull();
    }

    @Test
    void pairedChecksumCoversBothFiles() {
        write(dir, "1_x.up.sql", "SELECT 1;\n");
        String alone = load().migrations().get(0).checksum();
        write(dir, "1_x.down.sql", "SELECT 2;\n");
        String withDown = load().migrations().get(0).checksum();
        write(dir, "1_x.down.sql", "SELECT 3;\n");
        assertThat(load().migrations().get(0).checksum()).isNotEqualTo(withDown);
        assertThat(withDown).isNotEqualTo(alone);
    }

    @Test
    void downFileWithoutUp() {
        write(dir, "1_x.down.sql", "SELECT 1;\n");
        assertUsage("1_x.down.sql: down migration without its up migration 1_x.up.sql");
    }

    @Test
    void folders() {
        write(dir, "20250301120000_add_x/up.sql", "CREATE TABLE x();\n");
        write(dir, "20250301120000_add_x/down.sql", "DROP TABLE x;\n");
        write(dir, "20250301120000_add_x/README.md", "notes");
        write(dir, "20250302120000_y/up.sql", "SELECT 1;\n");
        List<Migration> ms = load().migrations();
        assertThat(ms).extracting(Migration::displayName)
                .containsExactly("20250301120000_add_x/up.sql", "20250302120000_y/up.sql");
        assertThat(ms.get(0).down()).hasSize(1);
        assertThat(ms.get(0).downFile()).isEqualTo(dir.resolve("20250301120000_add_x/down.sql"));
        assertThat(ms.get(1).down()).isNull();
    }

    @Test
    void folderWithoutUpSql() {
        write(dir, "1_x/down.sql", "SELECT 1;\n");
        assertUsage("1_x/: migration folder has no up.sql");
    }

    @Test
    void folderWithOtherSqlFiles() {
        write(dir, "1_x/up.sql", "SELECT 1;\n");
        write(dir, "1_x/extra.sql", "SELECT 1;\n");
        assertUsage("extra.sql: only up.sql and down.sql are read in a migration folder");
    }

    @Test
    void flywayFilesWithUndo() {
        write(dir, "V1__init.sql", "-- runway:retries 3\nCREATE TABLE a();\n");
        write(dir, "V1.2__add_b.sql", "ALTER TABLE a ADD b int;\n");
        write(dir, "U1.2__add_b.sql", "ALTER TABLE a DROP b;\n");
        write(dir, "V1_10__more.sql", "SELECT 1;\n");
        List<Migration> ms = load().migrations();
        assertThat(ms).extracting(m -> m.version().text()).containsExactly("1", "1.2", "1.10");
        assertThat(ms.get(0).directives().retries()).isEqualTo(3);
        assertThat(ms.get(0).down()).isNull();
        assertThat(ms.get(1).downFile()).isEqualTo(dir.resolve("U1.2__add_b.sql"));
        assertThat(ms.get(1).name()).isEqualTo("add b");
        assertThat(ms.get(1).displayName()).isEqualTo("V1.2__add_b.sql");
    }

    @Test
    void flywayUndoWithoutVersionedFile() {
        write(dir, "U3__x.sql", "SELECT 1;\n");
        assertUsage("U3__x.sql: down migration without its up migration V3__x.sql");
    }

    @Test
    void repeatableFlywayMigrationsComeAfterTheVersionedOnes() {
        write(dir, "R__views.sql", "CREATE VIEW v AS SELECT 1;\n");
        write(dir, "V2__b.sql", "SELECT 1;\n");
        assertThat(load().migrations()).extracting(m -> m.version().text()).containsExactly("2", "R__views");
        assertThat(load().migrations().get(1).rerunsOnChange()).isTrue();
    }

    @Test
    void unknownSqlFileNamesAreErrorsOtherFilesIgnored() {
        write(dir, "README.md", "# docs");
        write(dir, ".gitkeep", "");
        write(dir, "runway.sum", "h1:x\n");
        write(dir, "notes/anything.sql", "SELECT 1;\n");
        assertThat(load().migrations()).isEmpty();
        write(dir, "seed.sql", "SELECT 1;\n");
        assertUsage("seed.sql: not a migration file name; use 20250301120000_name.sql, ");
    }

    @Test
    void upperCaseSqlExtensionIsNotSilentlySkipped() {
        write(dir, "1_x.SQL", "SELECT 1;\n");
        assertUsage("1_x.SQL: not a migration file name");
    }

    @Test
    void duplicateVersionsNameBothFiles() {
        write(dir, "1_a.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "V1.0__b.sql", "SELECT 1;\n");
        assertUsage("duplicate migration version 1.0: ");
        assertThatThrownBy(this::load).hasMessageContaining("1_a.sql").hasMessageContaining("V1.0__b.sql");
    }

    @Test
    void duplicateVersionsAcrossNativeAndPaired() {
        write(dir, "0001_a.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "1_b.up.sql", "SELECT 1;\n");
        assertThatThrownBy(this::load).hasMessageContaining("duplicate migration version")
                .hasMessageContaining("0001_a.sql").hasMessageContaining("1_b.up.sql");
    }

    @Test
    void sortedByVersionAndFindable() {
        write(dir, "10_c.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "9_b.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "1234567890123456789012345_d.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "V2__a.sql", "SELECT 1;\n");
        MigrationDirectory d = load();
        assertThat(d.migrations()).extracting(m -> m.version().text())
                .containsExactly("2", "9", "10", "1234567890123456789012345");
        assertThat(d.find(MigrationVersion.parse("10.0"))).map(Migration::description).contains("c");
        assertThat(d.find(MigrationVersion.parse("11"))).isEmpty();
        assertThat(d.path()).isEqualTo(dir);
    }

    @Test
    void dataSubfolderIsIgnoredForSchemaAndLoadedAsData() {
        write(dir, "1_schema.sql", "-- runway:up\nSELECT 1;\n");
        write(dir, "data/1_backfill.sql", "-- runway:backfill table=users key=id batch=5000\n-- runway:up\n"
                + "UPDATE users SET a = 1 WHERE id >= :lo AND id < :hi;\n");
        assertThat(load().migrations()).extracting(Migration::description).containsExactly("schema");
        MigrationDirectory data = MigrationDirectory.load(dir.resolve("data"), MigrationKind.DATA);
        Migration m = data.migrations().get(0);
        assertThat(m.kind()).isEqualTo(MigrationKind.DATA);
        assertThat(m.directives().backfill()).containsExactly(
                org.assertj.core.api.Assertions.entry("table", "users"), org.assertj.core.api.Assertions.entry("key", "id"),
                org.assertj.core.api.Assertions.entry("batch", "5000"));
    }

    @Test
    void missingDirectory() {
        Path missing = dir.resolve("migrations");
        assertThatThrownBy(() -> MigrationDirectory.load(missing, MigrationKind.SCHEMA))
                .hasMessage(missing + "/: directory not found (create it or pass --dir)");
    }

    @Test
    void loadIfExists() {
        assertThat(MigrationDirectory.loadIfExists(dir.resolve("data"), MigrationKind.DATA)).isEmpty();
        write(dir, "data/1_x.sql", "-- runway:up\nSELECT 1;\n");
        assertThat(MigrationDirectory.loadIfExists(dir.resolve("data"), MigrationKind.DATA))
                .hasValueSatisfying(d -> assertThat(d.migrations()).hasSize(1));
    }

    @Test
    void invalidUtf8NamesTheByteOffset() {
        byte[] head = "-- runway:up\nSELECT '".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3; // a Latin-1 'é' lead byte followed by a quote
        bytes[head.length + 1] = '\'';
        bytes[head.length + 2] = ';';
        writeBytes(dir, "1_x.sql", bytes);
        assertUsage("1_x.sql: not valid UTF-8 (byte offset " + head.length + ")");
    }

    @Test
    void crlfAndBomDoNotChangeChecksumsOrLines() throws Exception {
        String lf = "-- runway:up\nCREATE TABLE a (\n  id int\n);\n-- runway:down\nDROP TABLE a;\n";
        write(dir, "1_x.sql", lf);
        Migration a = load().migrations().get(0);
        byte[] crlf = ("\uFEFF" + lf.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("1_x.sql"), crlf);
        Migration b = load().migrations().get(0);
        assertThat(b.checksum()).isEqualTo(a.checksum());
        assertThat(b.up().get(0).sql()).isEqualTo("CREATE TABLE a (\n  id int\n)");
        assertThat(b.down().get(0).line()).isEqualTo(6);
        write(dir, "1_x.sql", lf.replace("int", "bigint"));
        assertThat(load().migrations().get(0).checksum()).isNotEqualTo(a.checksum());
    }

    @Test
    void checksumIsSha256OfNormalizedFile() throws Exception {
        String text = "-- runway:up\nSELECT 1;\n";
        write(dir, "1_x.sql", text);
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        assertThat(load().migrations().get(0).checksum()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(digest));
    }

    @Test
    void unterminatedQuoteNamesFileAndLine() {
        write(dir, "1_x.sql", "-- runway:up\nDO $body$\nBEGIN\n");
        assertUsage(dir.resolve("1_x.sql") + ":2: unterminated dollar-quoted string $body$ (opened here)");
    }
}
