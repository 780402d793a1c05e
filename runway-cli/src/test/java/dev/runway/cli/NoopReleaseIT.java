package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.lock.MigrationLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-op release every deploy pays, through the real executable: with everything applied it still verifies
 * runway.sum and every applied file against the history, still takes the migration lock (its check and the history
 * table's shape now share a round trip), changes nothing, and reports exactly as before.
 */
class NoopReleaseIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String A = "-- runway:up\nCREATE TABLE a (id int);\n";

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env;

    @BeforeEach
    void applied() throws Exception {
        url = CliDb.create(LAB.lab(), "noop");
        env = Map.of("DATABASE_URL", url.toUnmaskedString());
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_a.sql"), A);
        Files.writeString(dir.resolve("2_b.sql"), "-- runway:up\nCREATE TABLE b (id int);\n");
        run(0, "hash");
        run(0, "release");
    }

    Cli.Result run(int exit, String... args) {
        Cli.Result r = Cli.run(cwd, env, args);
        assertThat(r.exit()).as("runway %s\n%s", String.join(" ", args), r.all()).isEqualTo(exit);
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
        return r;
    }

    List<String> history() {
        return CliDb.strings(LAB.lab(), url, "SELECT version || ' ' || checksum || ' ' || status || ' ' || applied_at"
                + " FROM runway_schema_history ORDER BY version");
    }

    @Test
    void reportsExactlyAsBeforeInTextAndJsonAndChangesNothing() throws Exception {
        List<String> before = history();
        Cli.Result text = run(0, "release");
        assertThat(text.out()).isEqualTo("No migration files to execute; the database is at version 2.\n");
        assertThat(text.err()).isEmpty();

        Cli.Result json = run(0, "release", "--format", "json");
        assertThat(json.err()).isEmpty();
        JsonNode d = JSON.readTree(json.out());
        assertThat(d.fieldNames()).toIterable().containsExactly("ok", "exitCode", "migrations", "notices", "direction",
                "dry_run", "applied", "statements", "lock_wait_ms", "total_ms", "current_version", "interrupted");
        assertThat(d.get("ok").asBoolean()).isTrue();
        assertThat(d.get("exitCode").asInt()).isZero();
        assertThat(d.get("migrations")).isEmpty();
        assertThat(d.get("notices")).isEmpty();
        assertThat(d.get("direction").asText()).isEqualTo("up");
        assertThat(d.get("applied").asInt()).isZero();
        assertThat(d.get("statements").asInt()).isZero();
        assertThat(d.get("current_version").asText()).isEqualTo("2");
        assertThat(d.get("interrupted").asBoolean()).isFalse();
        assertThat(history()).isEqualTo(before);
    }

    @Test
    void stillTakesTheMigrationLock() throws Exception {
        try (Connection holder = LAB.lab().primary().connect(url.database()); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + MigrationLock.key(url.database(), "public", "runway_schema_history") + ")");
            Cli.Result r = run(75, "release", "--lock-wait", "1s");
            assertThat(r.err()).contains("migration lock");
        }
        run(0, "release");
    }

    @Test
    void stillDetectsAnAppliedFileChangedAndRehashed() throws Exception {
        List<String> before = history();
        Files.writeString(cwd.resolve("migrations/1_a.sql"), A.replace("id int", "id bigint"));
        run(0, "hash"); // runway.sum agrees with the edit: only the history can tell
        Cli.Result r = run(4, "release");
        assertThat(r.err()).contains("1_a.sql").contains("changed after it was applied");
        assertThat(history()).isEqualTo(before);
    }

    @Test
    void stillVerifiesRunwaySum() throws Exception {
        List<String> before = history();
        Files.writeString(cwd.resolve("migrations/2_b.sql"), "-- runway:up\nCREATE TABLE b (id bigint);\n");
        Cli.Result r = run(4, "release");
        assertThat(r.err()).contains("runway.sum").contains("2_b.sql");
        assertThat(history()).isEqualTo(before);
    }
}
