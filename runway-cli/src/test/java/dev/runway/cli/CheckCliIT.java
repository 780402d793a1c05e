package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runway check} through the real CLI: exit codes, formats, runway.toml's [lint] table, bad nolint. */
class CheckCliIT {
    @TempDir
    Path cwd;
    Path dir;

    @BeforeEach
    void files() throws Exception {
        dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_users.sql"), "-- runway:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
                + "-- runway:down\nDROP TABLE users;\n");
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:up\nCREATE INDEX users_email ON users (email);\n"
                + "-- runway:down\nDROP INDEX users_email;\n");
        SumFile.write(dir);
    }

    @Test
    void staticCheckFindsTheBlockingIndexAndExits3() {
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--static");
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("2_users_email.sql:2").contains("RW101").contains("CONCURRENTLY");
    }

    @Test
    void traceOnAScratchLabServerAndSarifOutput() throws Exception {
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--format", "sarif");
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        JsonNode sarif = new ObjectMapper().readTree(r.out());
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("runs").get(0).get("results").toString()).contains("RW101");
    }

    @Test
    void onATerminalTheTraceShowsProgressAndTheReportIsUnchanged() throws Exception {
        Assumptions.assumeTrue(Cli.terminalAvailable(), "util-linux script(1) gives the child a terminal");
        Files.writeString(dir.resolve("3_slow.sql"), "-- runway:up\nSELECT pg_sleep(1.5);\n-- runway:down\nSELECT 1;\n");
        SumFile.write(dir);
        Cli.Result plain = Cli.run(cwd, Map.of(), "check");
        Cli.Result tty = Cli.runOnTerminal(cwd, Map.of(), "check");
        assertThat(tty.exit()).as(tty.out()).isEqualTo(plain.exit()).isEqualTo(3);
        assertThat(tty.out()).contains(" traced  1s").contains("3_slow.sql (");
        String erase = "\r\u001b[K";
        String report = tty.out().replaceAll("\r  \\[[#-]{20}\\][^\r\n]*", "").replace(erase, "").replace("\r\n", "\n");
        // the report itself is exactly what a pipe gets (its timing line aside)
        assertThat(report.lines().filter(l -> !l.contains(" in ")).toList())
                .isEqualTo(plain.all().lines().filter(l -> !l.contains(" in ")).toList());
    }

    @Test
    void safeFileIsCleanAndLintTableInRunwayTomlIsHonoured() throws Exception {
        Files.writeString(cwd.resolve("runway.toml"), "dir = \"migrations\"\n\n[lint]\ndisable = [\"RW101\"]\n");
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--static");
        assertThat(r.exit()).as(r.all()).isZero();
        Files.writeString(cwd.resolve("runway.toml"), "[lint]\ndisable = [\"RW999\"]\n");
        Cli.Result bad = Cli.run(cwd, Map.of(), "check", "--static");
        assertThat(bad.exit()).as(bad.all()).isEqualTo(2);
        assertThat(bad.err()).contains("runway.toml").contains("RW999");
    }

    @Test
    void inlineNolintCoversOneStatement() throws Exception {
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:up\n-- runway:nolint RW101 users is empty until launch\n"
                + "CREATE INDEX users_email ON users (email);\nCREATE INDEX users_email2 ON users (email);\n");
        SumFile.write(dir);
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--static");
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("2_users_email.sql:4: error RW101").doesNotContain("2_users_email.sql:3");
    }

    @Test
    void nolintOfAnUnknownRuleIsABadInput() throws Exception {
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:nolint RW999 no such rule\n-- runway:up\n"
                + "CREATE INDEX users_email ON users (email);\n");
        SumFile.write(dir);
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--static");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("2_users_email.sql:1").contains("RW999");
    }

    @Test
    void badInputWinsOverAnUnreachableScratchServerStartedAhead() throws Exception {
        String nowhere = "postgres://postgres@127.0.0.1:1/x";
        Cli.Result down = Cli.run(cwd, Map.of(), "check", "--scratch-url", nowhere);
        assertThat(down.exit()).as(down.all()).isEqualTo(75);
        assertThat(down.err()).contains("cannot connect to " + nowhere);
        Files.writeString(dir.resolve("2_users_email.sql"), "-- runway:nolint RW999 no such rule\n-- runway:up\n"
                + "CREATE INDEX users_email ON users (email);\n");
        SumFile.write(dir);
        Cli.Result r = Cli.run(cwd, Map.of(), "check", "--scratch-url", nowhere);
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("2_users_email.sql:1").contains("RW999").doesNotContain("cannot connect");
    }
}
