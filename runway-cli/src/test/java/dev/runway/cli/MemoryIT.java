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

    /**
     * A large seed file (INSERTs of 100 rows, about 10 kB each) applies with a heap about twice its size, where reading it
     * whole took ten times: a file that large is read as a stream and its statements keep their text, not their tokens.
     * Its dry run in JSON (every statement in one document) and rolling it back (its down section) work too. 12 MB under {@code -Xmx48m} by default; with {@code -Plong} the
     * issue's figure, 50 MB under {@code -Xmx128m} (about a minute).
     */
    @Test
    void aLargeSeedFileAppliesUnderAHeapAboutTwiceItsSize() throws Exception {
        boolean full = Integer.getInteger("runway.it.scale", 1) > 1;
        long megabytes = full ? 50 : 12;
        String heap = full ? "128m" : "48m";
        Path dir = Files.createDirectories(tmp.resolve("seed/migrations"));
        Files.writeString(dir.resolve("1_items.sql"), "-- runway:up\nCREATE TABLE items (id bigint PRIMARY KEY, name text, note text);\n"
                + "-- runway:down\nDROP TABLE items;\n");
        Path seed = dir.resolve("2_seed_items.sql");
        String note = "n".repeat(60);
        long id = 0;
        try (BufferedWriter w = Files.newBufferedWriter(seed, StandardCharsets.UTF_8)) {
            w.write("-- runway:up\n");
            while (Files.size(seed) < megabytes * 1024 * 1024 || id == 0) {
                for (int s = 0; s < 500; s++) {
                    w.write("INSERT INTO items (id, name, note) VALUES\n");
                    for (int r = 0; r < 100; r++) {
                        id++;
                        w.write("  (" + id + ", 'item " + id + "', '" + note + "')" + (r < 99 ? ",\n" : ";\n"));
                    }
                }
                w.flush();
            }
            w.write("-- runway:down\nDELETE FROM items;\n");
        }
        assertThat(Files.size(seed)).isGreaterThan(megabytes * 1024 * 1024);
        SumFile.write(dir);
        DatabaseUrl url = CliDb.create(LAB.lab(), "seed");
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        Cli.Result plan = run(dir.getParent(), env, heap, "migrate", "--dry-run", "--format", "json");
        assertThat(plan.exit()).as(plan.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(plan.out());
        assertThat(doc.get("plan").get(1).get("statements").size()).as("every statement, in one document streamed to stdout")
                .isEqualTo((int) (id / 100));
        Cli.Result r = run(dir.getParent(), env, heap, "release");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.all()).doesNotContain("OutOfMemoryError").doesNotContain("out of memory").doesNotContain(CliDb.PASSWORD);
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM items")).containsExactly(String.valueOf(id));
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                .containsExactly("2");
        Cli.Result back = run(dir.getParent(), env, heap, "rollback", "--to", "1");
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM items")).containsExactly("0");
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
