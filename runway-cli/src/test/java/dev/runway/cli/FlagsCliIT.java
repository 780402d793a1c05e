package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** {@code runway flags list|set|rm}, run as the real command: text and JSON output, and the notices instances hear. */
class FlagsCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env = new HashMap<>();

    @BeforeEach
    void database() {
        url = CliDb.create(LAB.lab(), "flags");
        env.put("DATABASE_URL", url.toUnmaskedString());
        env.put("USER", "alice");
    }

    Cli.Result run(String... args) {
        Cli.Result r = Cli.run(cwd, env, args);
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
        return r;
    }

    JsonNode json(String... args) throws Exception {
        Cli.Result r = run(args);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.err()).isEmpty();
        return JSON.readTree(r.out());
    }

    @Test
    void setListAndRemoveInTextAndJson() throws Exception {
        Cli.Result empty = run("flags", "list");
        assertThat(empty.exit()).isZero();
        assertThat(empty.out()).contains("No feature flags in public.runway_flags");
        assertThat(json("flags", "list", "--format", "json").path("flags")).isEmpty();

        Cli.Result created = run("flags", "set", "new_ui", "--percent", "25", "--regions", "fra,ams", "--create");
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(created.out()).isEqualTo("new_ui: on for 25% in ams,fra (created)\n");
        Cli.Result off = run("flags", "set", "new_ui", "off");
        assertThat(off.out()).isEqualTo("new_ui: off in ams,fra (was on for 25% in ams,fra)\n");
        JsonNode on = json("flags", "set", "new_ui", "on", "--regions", "all", "--format", "json");
        assertThat(on.path("flag").path("enabled").asBoolean()).isTrue();
        assertThat(on.path("flag").path("percent").asInt()).as("off kept the rollout").isEqualTo(25);
        assertThat(on.path("flag").path("regions")).isEmpty();
        assertThat(on.path("previous").path("enabled").asBoolean()).isFalse();
        assertThat(on.path("table").asText()).isEqualTo("public.runway_flags");
        assertThat(run("flags", "set", "checkout_v2", "on", "--create").exit()).isZero();

        Cli.Result list = run("flags", "list");
        assertThat(list.out().lines().toList()).hasSize(3).element(1).asString().startsWith("  checkout_v2  on          changed ");
        assertThat(list.out()).contains("  new_ui       on for 25%  changed ").contains("by user=alice host=");
        JsonNode all = json("flags", "list", "--format", "json");
        assertThat(all.path("flags")).hasSize(2);
        assertThat(all.path("flags").get(1).path("name").asText()).isEqualTo("new_ui");
        assertThat(all.path("flags").get(1).path("updated_by").asText()).startsWith("user=alice host=");

        JsonNode removed = json("flags", "rm", "checkout_v2", "--format", "json");
        assertThat(removed.path("removed").path("name").asText()).isEqualTo("checkout_v2");
        assertThat(run("flags", "rm", "new_ui").out()).isEqualTo("new_ui: removed (was on for 25%)\n");
        assertThat(json("flags", "list", "--format", "json").path("flags")).isEmpty();
    }

    /** What an instance's bus receives: an OnCommit notice from inside the transaction, then its Position. */
    @Test
    void everyChangeIsAnnouncedOnCommit() throws Exception {
        try (Connection listen = LAB.lab().primary().connect(url.database()); Statement st = listen.createStatement()) {
            st.execute("LISTEN runway_flags");
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            assertThat(run("flags", "set", "beta", "on", "--create").exit()).isZero();
            assertThat(run("flags", "set", "beta", "--percent", "500").exit()).isEqualTo(2); // refused: nothing sent
            assertThat(run("flags", "rm", "beta").exit()).isZero();
            PGConnection pg = listen.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 4 && System.nanoTime() < deadline) {
                PGNotification[] ns = pg.getNotifications(100);
                if (ns != null) {
                    for (PGNotification n : ns) {
                        got.add(n.getParameter());
                    }
                }
            }
            List<String> all = List.copyOf(got);
            assertThat(all).hasSize(4);
            assertThat(all.get(0)).matches("c [0-9a-f]{16} beta");
            assertThat(all.get(1)).matches("p " + all.get(0).substring(2, 18) + " [0-9A-F]+/[0-9A-F]+");
            assertThat(all.get(2)).matches("c [0-9a-f]{16} beta");
            assertThat(all.get(3)).startsWith("p " + all.get(2).substring(2, 18) + " ");
        }
    }
}
