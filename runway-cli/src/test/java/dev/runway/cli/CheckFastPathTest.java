package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.dir.SumFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runway check} without picocli ({@link FastPath}) prints what it prints through picocli: the
 * same stdout, stderr, SARIF file and exit code for every format and the outcomes clean, findings and
 * bad input; and a static check (like a release) loads no picocli class at all. No database.
 */
class CheckFastPathTest {
    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void files() throws Exception {
        dir = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(dir.resolve("1_users.sql"), "-- runway:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
                + "-- runway:down\nDROP TABLE users;\n");
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:up\nCREATE INDEX users_email ON users (email);\n"
                + "ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT 'x';\n-- runway:down\nDROP INDEX users_email;\n");
        Files.writeString(dir.resolve("3_clean.sql"), "-- runway:up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n");
        SumFile.write(dir);
    }

    /** What one run printed and returned, its timings masked. */
    record Run(int exit, String out, String err, String sarif) {
    }

    private Run run(boolean fast, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Invocation inv = new Invocation(args, Map.of("NO_COLOR", "1")::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Path sarif = tmp.resolve("out.sarif");
        Files.deleteIfExists(sarif);
        int exit;
        // as Main.run, by one route or the other
        try {
            if (fast) {
                Integer rc = FastPath.tryRun(args, inv);
                assertThat(rc).as("the fast path takes %s", List.of(args)).isNotNull();
                exit = rc;
            } else {
                exit = RootCommand.execute(args, inv);
            }
        } catch (Throwable e) {
            exit = Main.report(e, inv);
        }
        return new Run(exit, masked(out.toString(StandardCharsets.UTF_8)), masked(err.toString(StandardCharsets.UTF_8)),
                Files.exists(sarif) ? Files.readString(sarif) : null);
    }

    private static String masked(String s) {
        return s.replaceAll(" in \\d+\\.\\d\\ds:", " in 0.00s:").replaceAll("\"tookMs\" ?: ?\\d+", "\"tookMs\":0");
    }

    private void same(int exit, String... args) throws Exception {
        Run fast = run(true, args);
        Run picocli = run(false, args);
        assertThat(fast).as("%s", List.of(args)).isEqualTo(picocli);
        assertThat(fast.exit()).as("%s: %s", List.of(args), fast).isEqualTo(exit);
        assertThat(fast.out() + fast.err()).as("%s", List.of(args)).isNotBlank();
    }

    @Test
    void everyFormatAndOutcomePrintsTheSameWithoutPicocli() throws Exception {
        String d = dir.toString();
        String sarif = tmp.resolve("out.sarif").toString();
        for (String format : List.of("text", "json", "sarif", "github")) {
            same(3, "check", "--static", "--dir", d, "--format", format);
            same(3, "check", "--static", "--dir=" + d, "--format=" + format, "--sarif", sarif, "--pg", "10");
            same(0, "check", "--static", "--dir", d, "--format", format, d + "/3_clean.sql");
            same(0, "check", "--static", "--dir", d, "--format", format, "--mode", "plain", d + "/3_clean.sql");
            same(2, "check", "--static", "--dir", d, "--format", format, "--mode", "fast");
            same(2, "check", "--static", "--dir", d, "--format", format, "--pg", "eleven");
            same(2, "check", "--static", "--dir", d, "--format", format, d + "/4_missing.sql");
            same(2, "check", "--static", "--dir", tmp.resolve("nowhere").toString(), "--format", format);
        }
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "format = \"json\"\n[lint]\ndisable = [\"RW101\"]\n");
        same(0, "check", "--static", "--config", toml.toString(), "--dir", d);
        Files.writeString(toml, "[lint]\ndisable = [\"RW999\"]\n");
        same(2, "check", "--static", "--config=" + toml, "--dir", d);
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:nolint RW999 no such rule\n-- runway:up\nSELECT 1;\n");
        same(2, "check", "--static", "--dir", d);
        same(2, "check", "--static", "--dir", d, "--format", "json");
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:frobnicate\n-- runway:up\nSELECT 1;\n");
        same(2, "check", "--static", "--dir", d, "--format", "github");
    }

    @Test
    void aStaticCheckAndAReleaseLoadNoPicocliClass() throws Exception {
        List<List<String>> lines = List.of(
                List.of("check", "--static"),
                List.of("check", "--static", "--format", "json", "--sarif", "out.sarif", "migrations/2_users_email.sql"),
                List.of("release", "--url", "postgres://127.0.0.1:1/closed"));
        for (List<String> args : lines) {
            Path classes = tmp.resolve("classes.txt");
            ProcessBuilder pb = Cli.builder(tmp, Map.of(), args.toArray(String[]::new));
            pb.command().add(1, "-Xlog:class+load:file=" + classes);
            Process p = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("run.out").toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", args, Files.readString(tmp.resolve("run.out"))).isIn(3, 75);
            List<String> picocli = new ArrayList<>(Files.readAllLines(classes).stream().filter(l -> l.contains(" picocli.")).toList());
            assertThat(Files.readString(classes)).contains("dev.runway.cli.FastPath ");
            assertThat(picocli).as("%s", args).isEmpty();
        }
        // the control: a command line the fast path leaves to picocli does load it
        Path classes = tmp.resolve("classes.txt");
        ProcessBuilder pb = Cli.builder(tmp, Map.of(), "check", "--help");
        pb.command().add(1, "-Xlog:class+load:file=" + classes);
        Process p = pb.redirectErrorStream(true).redirectOutput(tmp.resolve("run.out").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(classes)).contains(" picocli.CommandLine ");
    }
}
