package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.cli.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every command's --help works and lists exactly the flags that command reads; the command list shows
 * whole sentences; {@code runway} alone prints the usage and exits 2. In-process, no database.
 */
class HelpTest {
    private static final Pattern OPTION = Pattern.compile("^ {2,6}(?:-\\w, )?(--[a-z][a-z0-9-]*)(?:=|\\s{2,}|$)", Pattern.MULTILINE);

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Invocation inv = new Invocation(args, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = RootCommand.execute(args, inv);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Set<String> options(String help) {
        Set<String> o = new TreeSet<>();
        Matcher m = OPTION.matcher(help);
        while (m.find()) {
            o.add(m.group(1));
        }
        return o;
    }

    static Set<String> flags(Set<Setting> settings, String... own) {
        Set<String> f = new TreeSet<>(Set.of("--config", "--help"));
        settings.stream().filter(s -> s.flag() != null).forEach(s -> f.add(s.flag())); // a secret has no flag
        f.addAll(Set.of(own));
        return f;
    }

    /** The settings of the runway flags commands. */
    private static final Set<Setting> FLAGS = java.util.EnumSet.of(Setting.URL, Setting.SCHEMA, Setting.FLAGS_TABLE, Setting.FORMAT);

    @Test
    void everyCommandsHelpListsExactlyItsFlags() {
        Map<String, Set<String>> expected = Map.ofEntries(
                Map.entry("release", flags(ReleaseCommand.SETTINGS, "--with-data")),
                Map.entry("migrate", flags(MigrateCommand.SETTINGS, "--to", "--step", "--dry-run")),
                Map.entry("rollback", flags(RollbackCommand.SETTINGS, "--to", "--step", "--dry-run")),
                Map.entry("status", flags(StatusCommand.SETTINGS)),
                Map.entry("check", flags(CheckCommand.SETTINGS, "--mode", "--pg", "--static", "--no-round-trip", "--scratch-url",
                        "--against", "--sarif")),
                Map.entry("new", flags(NewCommand.SETTINGS, "--data")),
                Map.entry("hash", flags(HashCommand.SETTINGS)),
                Map.entry("verify", flags(VerifyCommand.SETTINGS)),
                Map.entry("repair", flags(RepairCommand.SETTINGS, "--dry-run")),
                Map.entry("baseline", flags(BaselineCommand.SETTINGS, "--version", "--from", "--from-table")),
                Map.entry("data migrate", flags(DataCommand.Migrate.SETTINGS, "--to", "--step", "--dry-run")),
                Map.entry("data status", flags(DataCommand.Status.SETTINGS)),
                Map.entry("backup list", flags(BackupCommand.S3_SETTINGS)),
                Map.entry("backup restore", flags(BackupCommand.S3_SETTINGS, "--to", "--clean", "--no-owner")),
                Map.entry("flags list", flags(FLAGS)),
                Map.entry("flags set", flags(FLAGS, "--percent", "--regions", "--create")),
                Map.entry("flags rm", flags(FLAGS)));
        expected.forEach((cmd, flags) -> {
            Run r = run((cmd + " --help").split(" "));
            assertThat(r.exit()).as(cmd + " --help: " + r.err()).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: runway " + cmd + " [-h]");
            assertThat(options(r.out())).as(cmd + " --help options").isEqualTo(flags);
        });
        // what a command does not read, its help does not offer
        assertThat(run("status", "--help").out()).doesNotContain("--lock-timeout").doesNotContain("--stop-grace");
        assertThat(run("hash", "--help").out()).doesNotContain("--url").doesNotContain("--version");
        assertThat(run("migrate", "--help").out()).doesNotContain("--gate-small-table").doesNotContain("--version")
                .doesNotContain("--backup").doesNotContain("--s3-endpoint");
        for (String cmd : new String[] {"data", "backup", "lab", "lab up", "lab down", "lab status", "lab env", "demo", "help"}) {
            Run r = run((cmd + " --help").split(" "));
            assertThat(r.exit()).as(cmd + " --help: " + r.err()).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: runway " + cmd).doesNotContain("--version");
        }
    }

    @Test
    void theCommandListShowsWholeSentences() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        String flat = r.out().replaceAll("\\s+", " ");
        RootCommand.SUMMARIES.forEach((cmd, summary) -> {
            assertThat(summary).as(cmd).matches("[A-Z].*[.)]\\.?").endsWith(".");
            assertThat(flat).as(cmd).contains(" " + cmd + " " + summary + " ");
        });
        assertThat(RootCommand.SUMMARIES).containsKeys("release", "migrate", "rollback", "status", "check", "data", "new", "hash",
                "verify", "repair", "baseline", "lab", "demo");
    }

    @Test
    void releaseHelpNamesTheGateExit3AndHowToSuppress() {
        String help = run("release", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("lint gate").contains("exit 3").contains("--gate-small-table (default 10MB)")
                .contains("'-- runway:nolint RWnnn <reason>'").contains("exit 75 'interrupted: N pending'");
    }

    @Test
    void underJsonHelpAndBadUsageAreOneDocumentEach() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        Run help = run("status", "--help", "--format", "json");
        assertThat(help.exit()).isZero();
        var doc = json.readTree(help.out());
        assertThat(doc.get("ok").asBoolean()).isTrue();
        assertThat(doc.get("text").asText()).startsWith("Show every migration").contains("Usage: runway status");
        Run bad = run("status", "--frobnicate", "--format=json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(json.readTree(bad.out()).get("error").get("message").asText()).startsWith("Unknown option: '--frobnicate'");
        assertThat(bad.err().lines().count()).isEqualTo(1);
    }

    @Test
    void noArgumentsPrintsTheUsageAndExits2() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("Usage: runway").contains("Commands:")
                .endsWith("runway: error: no command given (see 'runway --help')" + System.lineSeparator());
    }
}
