package dev.runway.migrate.dir;

import static dev.runway.migrate.dir.DirFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SumFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        // Runway's own format next to one other runner's (golang-migrate's pairs): one directory, one other layout
        write(dir, "20250301_a.sql", "-- runway:up\nCREATE TABLE a();\n");
        write(dir, "20250302_b.up.sql", "CREATE TABLE b();\n");
        write(dir, "20250302_b.down.sql", "DROP TABLE b;\n");
        write(dir, "20250303_c.up.sql", "CREATE TABLE c();\n");
        write(dir, "data/1_fill.sql", "-- runway:up\nSELECT 1;\n");
    }

    private String sumPath() {
        return dir.resolve(SumFile.NAME).toString();
    }

    private SumFileException verifyFails() {
        try {
            SumFile.verify(dir);
        } catch (SumFileException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY);
            return e;
        }
        throw new AssertionError("verify passed");
    }

    private static String b64sha(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return Base64.getEncoder().encodeToString(md.digest());
    }

    private static byte[] sha(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    @Test
    void writeThenVerify() throws Exception {
        SumFile.write(dir);
        SumFile.verify(dir);
        List<String> lines = Files.readAllLines(dir.resolve(SumFile.NAME));
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(1, 5)).extracting(l -> l.substring(0, l.indexOf(' '))).containsExactly(
                "20250301_a.sql", "20250302_b.up.sql", "20250302_b.down.sql", "20250303_c.up.sql");
        SumFile sum = MigrationDirectory.load(dir, MigrationKind.SCHEMA).sumFile();
        assertThat(sum.present()).isTrue();
        assertThat(sum.entries()).extracting(SumFile.Entry::line).containsExactly(2, 3, 4, 5);
        assertThat(sum.total()).isEqualTo(lines.get(0));
        assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
    }

    /** On Linux a backslash is part of a file name, not a separator: runway.sum names the file as it is. */
    @Test
    void backslashInAFileNameStaysInItsName() throws Exception {
        write(dir, "20250304_o'brien\\path.sql", "-- runway:up\nCREATE TABLE d();\n");
        SumFile.write(dir);
        SumFile.verify(dir);
        assertThat(Files.readAllLines(dir.resolve(SumFile.NAME))).anyMatch(l -> l.startsWith("20250304_o'brien\\path.sql "));
        assertThat(MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations())
                .anyMatch(m -> m.description().equals("o'brien\\path"));
    }

    @Test
    void algorithmIsTheDocumentedOne() throws Exception {
        byte[] a = "-- runway:up\nCREATE TABLE a();\n".getBytes(StandardCharsets.UTF_8);
        byte[] up = "CREATE TABLE b();\n".getBytes(StandardCharsets.UTF_8);
        byte[] c1 = sha(new byte[0], sha(a));
        byte[] c2 = sha(c1, sha(up));
        String body = "20250301_a.sql h1:" + Base64.getEncoder().encodeToString(c1) + "\n"
                + "20250302_b.up.sql h1:" + Base64.getEncoder().encodeToString(c2) + "\n";
        String expected = "h1:" + b64sha(body.getBytes(StandardCharsets.UTF_8)) + "\n" + body;
        assertThat(SumFile.render(dir, List.of(Path.of("20250302_b.up.sql"), dir.resolve("20250301_a.sql"))))
                .isEqualTo(expected);
    }

    @Test
    void crlfCheckoutOfFilesAndSumStillVerifies() throws Exception {
        SumFile.write(dir);
        Path a = dir.resolve("20250301_a.sql");
        Files.writeString(a, Files.readString(a).replace("\n", "\r\n"));
        Path sum = dir.resolve(SumFile.NAME);
        Files.writeString(sum, Files.readString(sum).replace("\n", "\r\n"));
        SumFile.verify(dir);
    }

    @Test
    void missingSumFile() {
        SumFileException e = verifyFails();
        assertThat(e).hasMessage(sumPath() + ": not found; run 'runway hash' to create it");
        assertThat(MigrationDirectory.load(dir, MigrationKind.SCHEMA).sumFile().present()).isFalse();
    }

    @Test
    void editedFile() {
        SumFile.write(dir);
        write(dir, "20250302_b.down.sql", "DROP TABLE IF EXISTS b;\n");
        SumFileException e = verifyFails();
        assertThat(e).hasMessage(sumPath() + ": 20250302_b.down.sql was edited after runway.sum was written "
                + "(line 4; run 'runway hash' if the edit is intended)");
        assertThat(e.file()).isEqualTo("20250302_b.down.sql");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void fileAddedInTheMiddle() {
        SumFile.write(dir);
        write(dir, "20250301.5_x.sql", "-- runway:up\nSELECT 1;\n");
        assertThat(verifyFails()).hasMessageStartingWith(sumPath() + ": 20250301.5_x.sql is not in runway.sum");
    }

    @Test
    void fileAddedAtTheEnd() {
        SumFile.write(dir);
        write(dir, "20250309_z.sql", "-- runway:up\nSELECT 1;\n");
        assertThat(verifyFails()).hasMessageStartingWith(sumPath() + ": 20250309_z.sql is not in runway.sum");
    }

    @Test
    void missingFile() throws Exception {
        SumFile.write(dir);
        Files.delete(dir.resolve("20250303_c.up.sql"));
        assertThat(verifyFails()).hasMessage(sumPath() + ": 20250303_c.up.sql is listed (line 5) but missing; "
                + "restore it, or run 'runway hash' if it was removed on purpose");
    }

    @Test
    void mergedSumFileWithBothBranchesLines() throws Exception {
        // Branch A adds 20250304_d, branch B adds 20250305_e; a merge that keeps both lines verbatim
        // has a wrong line 1 and a wrong cumulative hash for the later file.
        write(dir, "20250304_d.sql", "-- runway:up\nSELECT 'd';\n");
        SumFile.write(dir);
        List<String> a = Files.readAllLines(dir.resolve(SumFile.NAME));
        Files.delete(dir.resolve("20250304_d.sql"));
        write(dir, "20250305_e.sql", "-- runway:up\nSELECT 'e';\n");
        SumFile.write(dir);
        List<String> b = Files.readAllLines(dir.resolve(SumFile.NAME));
        write(dir, "20250304_d.sql", "-- runway:up\nSELECT 'd';\n");
        String merged = a.get(0) + "\n" + String.join("\n", a.subList(1, a.size())) + "\n" + b.get(b.size() - 1) + "\n";
        Files.writeString(dir.resolve(SumFile.NAME), merged);
        assertThat(verifyFails()).hasMessageStartingWith(sumPath() + ": line 1 does not match the lines below");
        // Even with line 1 recomputed by hand, the cumulative hash of the later file gives it away.
        String body = merged.substring(merged.indexOf('\n') + 1);
        Files.writeString(dir.resolve(SumFile.NAME), "h1:" + b64sha(body.getBytes(StandardCharsets.UTF_8)) + "\n" + body);
        assertThat(verifyFails()).hasMessageStartingWith(sumPath() + ": 20250305_e.sql was edited after runway.sum");
    }

    @Test
    void reorderedFiles() throws Exception {
        SumFile.write(dir);
        List<String> lines = Files.readAllLines(dir.resolve(SumFile.NAME));
        String body = lines.get(2) + "\n" + lines.get(1) + "\n" + lines.get(3) + "\n" + lines.get(4) + "\n";
        Files.writeString(dir.resolve(SumFile.NAME), "h1:" + b64sha(body.getBytes(StandardCharsets.UTF_8)) + "\n" + body);
        assertThat(verifyFails()).hasMessageStartingWith(sumPath() + ": 20250301_a.sql is out of order compared with "
                + "runway.sum (line 2 lists 20250302_b.up.sql)");
    }

    @Test
    void malformedSumFile() throws Exception {
        Files.writeString(dir.resolve(SumFile.NAME), "h1:abc\n");
        assertThat(verifyFails()).hasMessage(sumPath()
                + ": line 1 is malformed (expected 'h1:<base64>'); run 'runway hash' to rewrite it");
        SumFile.write(dir);
        Path sum = dir.resolve(SumFile.NAME);
        Files.writeString(sum, Files.readString(sum) + "<<<<<<< HEAD\n");
        SumFileException e = verifyFails();
        assertThat(e).hasMessage(sumPath()
                + ": line 6 is malformed (expected '<file> h1:<base64>'); run 'runway hash' to rewrite it");
        assertThat(e.line()).isEqualTo(6);
        assertThatThrownBy(() -> MigrationDirectory.load(dir, MigrationKind.SCHEMA).sumFile())
                .isInstanceOf(SumFileException.class);
    }

    @Test
    void dataDirectoryHasItsOwnSum() throws Exception {
        SumFile.write(dir);
        assertThat(Files.readString(dir.resolve(SumFile.NAME))).doesNotContain("fill");
        Path data = dir.resolve("data");
        SumFile.write(data);
        SumFile.verify(data);
        assertThat(Files.readString(data.resolve(SumFile.NAME))).contains("1_fill.sql h1:");
    }

    @Test
    void writeReplacesAnExistingSum() throws Exception {
        SumFile.write(dir);
        write(dir, "20250309_z.sql", "-- runway:up\nSELECT 1;\n");
        SumFile.write(dir);
        SumFile.verify(dir);
        assertThat(Files.readAllLines(dir.resolve(SumFile.NAME))).hasSize(6);
    }
}
