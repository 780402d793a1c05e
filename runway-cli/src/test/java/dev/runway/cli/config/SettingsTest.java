package dev.runway.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path tmp;

    @Test
    void flagBeatsEnvironmentBeatsTomlBeatsDefault() throws Exception {
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "lock_wait = \"7s\"\nlock_timeout = \"3s\"\nretries = 4\n");
        Settings s = Settings.resolve(Map.of(Setting.LOCK_WAIT, "9s"), Map.of("RUNWAY_LOCK_TIMEOUT", "5s")::get, toml, true);
        assertThat(s.duration(Setting.LOCK_WAIT)).isEqualTo(Duration.ofSeconds(9));
        assertThat(s.source(Setting.LOCK_WAIT)).isEqualTo("--lock-wait");
        assertThat(s.duration(Setting.LOCK_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.source(Setting.LOCK_TIMEOUT)).isEqualTo("RUNWAY_LOCK_TIMEOUT");
        assertThat(s.integer(Setting.RETRIES)).isEqualTo(4);
        assertThat(s.source(Setting.RETRIES)).isEqualTo(toml + ":3 retries");
        assertThat(s.get(Setting.SCHEMA)).isEqualTo("public");
    }

    @Test
    void errorsNameWhereTheValueCameFrom() throws Exception {
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "\n\nstatement_timeout = \"soon\"\n");
        Settings s = Settings.resolve(Map.of(), k -> null, toml, true);
        assertThatThrownBy(() -> s.duration(Setting.STATEMENT_TIMEOUT)).isInstanceOf(RunwayException.class)
                .hasMessageStartingWith(toml + ":3 statement_timeout: 'soon' is not a duration");
        Files.writeString(toml, "dir = \"x\"\nlock_wiat = \"1s\"\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), k -> null, toml, true))
                .hasMessageStartingWith(toml + ":2: unknown key 'lock_wiat'");
    }

    @Test
    void aDottedKeyLivesInItsTable() throws Exception {
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "dir = \"db\"\n[lint]\ngate.small-table = \"2kB\"\nmode = \"runway\"\n");
        Settings s = Settings.resolve(Map.of(), k -> null, toml, true);
        assertThat(s.bytes(Setting.GATE_SMALL_TABLE)).isEqualTo(2048);
        assertThat(s.source(Setting.GATE_SMALL_TABLE)).isEqualTo(toml + ":3 lint.gate.small-table");
        assertThat(Settings.resolve(Map.of(), Map.of("RUNWAY_GATE_SMALL_TABLE", "1MB")::get, toml, true).bytes(Setting.GATE_SMALL_TABLE))
                .isEqualTo(1024 * 1024);
        assertThat(Settings.resolve(Map.of(), k -> null, tmp.resolve("none.toml"), false).bytes(Setting.GATE_SMALL_TABLE))
                .isEqualTo(10 * 1024 * 1024);
    }

    @Test
    void placeholdersFromTheTableAndTheEnvironment() throws Exception {
        Path toml = tmp.resolve("runway.toml");
        Files.writeString(toml, "lock_wait = \"7s\"\n\n[placeholders]\nowner = \"app\"\nschema = \"s1\"\n");
        Settings s = Settings.resolve(Map.of(), k -> null, toml, true)
                .withPlaceholderVariables(Map.of("RUNWAY_PLACEHOLDERS_SCHEMA", "s2", "PATH", "/bin"));
        assertThat(s.placeholders().values()).containsEntry("owner", "app").containsEntry("schema", "s2")
                .containsEntry("flyway:defaultSchema", "public").doesNotContainKey("PATH");
        assertThat(s.placeholders().enabled()).isTrue();
        Files.writeString(toml, "placeholders = \"x\"\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), k -> null, toml, true))
                .hasMessageStartingWith(toml + ":1: placeholders must be a table");
    }

    @Test
    void passwordNeverInUrlErrors() {
        Settings s = Settings.resolve(Map.of(Setting.URL, "postgres://u:hunter2@host:70000/db"), k -> null, tmp.resolve("none.toml"), false);
        assertThatThrownBy(s::url).hasMessageContaining("--url").hasMessageNotContaining("hunter2");
    }

    /** docs/configuration.md documents every setting with its key, flag, variable and default (the registry drives the docs). */
    @Test
    void configurationDocListsEverySetting() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Setting s : Setting.values()) {
            String row = doc.lines().filter(l -> l.startsWith("| `" + s.key() + "` ")).findFirst().orElse(null);
            assertThat(row).as("row for %s", s.key()).isNotNull();
            assertThat(row).contains(s.flag() == null ? "| — |" : "`" + s.flag() + "`").contains("`" + s.env() + "`");
            if (s.defaultValue() != null) {
                assertThat(row).contains("`" + s.defaultValue() + "`");
            }
        }
    }
}
