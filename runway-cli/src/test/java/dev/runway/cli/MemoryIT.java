package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Memory: an OutOfMemoryError is one line (and one JSON document), never a stack trace, and changes nothing. */
class MemoryIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    static Path tmp;
    static Path huge;

    /** One statement that cannot fit: a 48 MB string literal, run with a 32 MB heap. */
    @BeforeAll
    static void hugeStatement() throws Exception {
        huge = Files.createDirectories(tmp.resolve("huge/migrations"));
        Files.writeString(huge.resolve("1_a.sql"), "-- runway:up\nCREATE TABLE a (t text);\n");
        try (BufferedWriter w = Files.newBufferedWriter(huge.resolve("2_huge.sql"), StandardCharsets.UTF_8)) {
            w.write("-- runway:up\nINSERT INTO a VALUES ('");
            char[] line = "0123456789abcdef".repeat(64).toCharArray();
            for (int i = 0; i < 48 * 1024; i++) {
                w.write(line);
            }
            w.write("');\n");
        }
        SumFile.write(huge);
    }

    @Test
    void outOfMemoryIsOneLineAndOneDocumentAndChangesNothing() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "memory");
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        List<String> before = CliDb.snapshot(LAB.lab(), url);
        Cli.Result text = run(huge.getParent(), env, "32m", "release");
        assertThat(text.exit()).as(text.all()).isEqualTo(1);
        assertThat(text.errLines()).as(text.err()).hasSize(1);
        assertThat(text.errLines().get(0)).startsWith("runway: error: out of memory (").contains("maximum heap").contains("-Xmx");
        assertThat(text.all()).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain(CliDb.PASSWORD);
        Cli.Result json = run(huge.getParent(), env, "32m", "release", "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("ok").asBoolean()).isFalse();
        assertThat(doc.get("error").get("message").asText()).startsWith("out of memory (");
        assertThat(json.errLines()).hasSize(1);
        assertThat(CliDb.snapshot(LAB.lab(), url)).isEqualTo(before);
    }

    /** The CLI in a child JVM with {@code -Xmx<heap>}. */
    static Cli.Result run(Path cwd, Map<String, String> env, String heap, String... args) throws Exception {
        ProcessBuilder pb = Cli.builder(cwd, env, args);
        List<String> cmd = new ArrayList<>(pb.command());
        cmd.add(1, "-Xmx" + heap);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.command(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Cli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
