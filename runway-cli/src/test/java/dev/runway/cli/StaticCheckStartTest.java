package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code check --static} costs a cold JVM before its first file: it links no lambda or method reference and
 * compiles no regular expression. The first lambda sets up the JVM's method handles (about 10 ms), each further call
 * site is linked on first use, and each pattern is compiled; on 1,000 files these were a tenth of the command's CPU
 * besides what they added to the JIT's work (issue #15). Not yet covered: a {@code lock-timeout} or
 * {@code statement-timeout} directive ({@code Durations} parses it with a regular expression) and a column type change
 * (judged with two, compiled on first use).
 */
class StaticCheckStartTest {
    @TempDir
    Path dir;

    @Test
    void aStaticCheckLinksNoLambdaAndCompilesNoRegularExpression() throws Exception {
        Files.writeString(dir.resolve("1_create.sql"), "-- runway:up\nCREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " n integer NOT NULL DEFAULT 0, b character varying(20));\n-- runway:down\nDROP TABLE t;\n");
        Files.writeString(dir.resolve("2_change.sql"), "-- runway:nolint RW101 the table is empty\n"
                + "-- runway:up\nALTER TABLE t ADD COLUMN at timestamptz NOT NULL DEFAULT now();\nCREATE INDEX t_n ON t (n);\n"
                + "-- runway:nolint RW122 three rows\nUPDATE t SET n = n + 1 WHERE id < 4;\n"
                + "-- runway:down\n-- runway:nolint RW102 down\nDROP INDEX t_n;\nALTER TABLE t DROP COLUMN at;\n");
        Files.writeString(dir.resolve("3_warn.sql"), "-- runway:up\nCREATE TABLE u (id serial PRIMARY KEY);\nCREATE INDEX u_id ON t (n);\n");
        Path log = dir.resolve("classes.log");
        Process p = new ProcessBuilder(List.of(Cli.javaBin(), "-Xlog:class+load=info:file=" + log, "-cp", Cli.classpath(),
                "dev.runway.cli.Main", "check", "--static", "--dir", dir.toString()))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("err.txt"))).isEqualTo(3);
        assertThat(out).contains("RW101").contains("RW301").contains("3 files checked");
        List<String> loaded = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(loaded).as("classes loaded (see " + File.separator + "tmp)").isNotEmpty();
        assertThat(loaded).noneMatch(l -> l.contains("$$Lambda"))
                .noneMatch(l -> l.contains(" java.util.regex.Pattern "))
                .noneMatch(l -> l.contains(" java.lang.invoke.LambdaMetafactory "));
    }
}
