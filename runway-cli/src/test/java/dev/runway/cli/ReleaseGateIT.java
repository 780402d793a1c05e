package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release gate judges the real target: an ordinary history releases on an empty database (its
 * index builds and seed updates touch tables the same release creates); a blocking index on a
 * 1,000,000-row table refuses with its size; the same on a 100-row table passes with an info line;
 * gate.small-table works as a flag, a variable and a runway.toml key; check --against agrees.
 */
class ReleaseGateIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cwd;

    @Test
    void aThousandFileHistoryReleasesOnAFreshDatabase() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "gate");
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        for (int i = 0; i < 1000; i++) {
            int t = i / 4;
            String up;
            String down;
            switch (i % 4) {
                case 0:
                    up = "CREATE TABLE t_" + t + " (id bigint PRIMARY KEY, name text, status text);";
                    down = "DROP TABLE t_" + t + ";";
                    break;
                case 1:
                    up = "ALTER TABLE t_" + t + " ADD COLUMN note text;\nALTER TABLE t_" + t + " ADD COLUMN created_at timestamptz DEFAULT now();";
                    down = "ALTER TABLE t_" + t + " DROP COLUMN note;\nALTER TABLE t_" + t + " DROP COLUMN created_at;";
                    break;
                case 2:
                    up = "CREATE INDEX t_" + t + "_name ON t_" + t + " (name);\nCREATE UNIQUE INDEX t_" + t + "_active ON t_" + t
                            + " (name) WHERE status = 'active';";
                    down = "DROP INDEX t_" + t + "_active;\nDROP INDEX t_" + t + "_name;";
                    break;
                default:
                    up = "INSERT INTO t_" + t + " (id, name) VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma');\nUPDATE t_" + t
                            + " SET status = 'active' WHERE name = 'alpha';";
                    down = "DELETE FROM t_" + t + ";";
            }
            Files.writeString(dir.resolve(String.format("%04d_step.sql", i + 1)), "-- runway:up\n" + up + "\n-- runway:down\n" + down + "\n");
        }
        SumFile.write(dir);
        Cli.Result r = Cli.run(cwd, Map.of("DATABASE_URL", url.toUnmaskedString()), "release");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("-- 1000 migrations");
        // each index build and seed update passed, saying why
        assertThat(r.err()).contains("0003_step.sql:2: info RW101: CREATE INDEX on t_0 without CONCURRENTLY")
                .contains("(passes: t_0: created in this release)").doesNotContain("error RW");
        assertThat(r.err().lines().filter(l -> l.contains(": info RW101:")).count()).isEqualTo(500);
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'"))
                .containsExactly("1000");
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
    }

    @Test
    void aBlockingIndexOnAMillionRowsRefusesAndOnAHundredRowsPasses() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "gate");
        sql(url, "CREATE TABLE orders (id bigint PRIMARY KEY, customer int);"
                + " INSERT INTO orders SELECT g, g % 1000 FROM generate_series(1, 1000000) g; ANALYZE orders;"
                + " CREATE TABLE feature_flags (id int PRIMARY KEY, name text);"
                + " INSERT INTO feature_flags SELECT g, 'flag' || g FROM generate_series(1, 100) g;");
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_orders_customer.sql"), "-- runway:up\nCREATE INDEX orders_customer ON orders (customer);\n"
                + "-- runway:down\nDROP INDEX orders_customer;\n");
        SumFile.write(dir);
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        List<String> before = CliDb.snapshot(LAB.lab(), url);

        Cli.Result refused = Cli.run(cwd, env, "release");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).contains("1_orders_customer.sql:2: error RW101: CREATE INDEX on orders without CONCURRENTLY")
                .containsPattern("\\(orders, [0-9]+ MB, ~1,000,000 rows\\)");
        assertThat(refused.errLines().get(refused.errLines().size() - 1)).startsWith("runway: error: release refused: 1 lint error")
                .containsPattern("RW101 on orders, [0-9]+ MB, ~1,000,000 rows").contains("gate.small-table (10 MB)");
        JsonNode doc = JSON.readTree(Cli.run(cwd, env, "release", "--format", "json").out());
        assertThat(doc.get("exitCode").asInt()).isEqualTo(3);
        assertThat(doc.get("gate").get(0).get("severity").asText()).isEqualTo("error");
        assertThat(doc.get("gate").get(0).get("impact").asText()).contains("~1,000,000 rows");
        assertThat(CliDb.snapshot(LAB.lab(), url)).as("nothing changed").isEqualTo(before);

        // check --against judges the same way, read-only
        Cli.Result check = Cli.run(cwd, env, "check", "--static", "--against", url.toUnmaskedString());
        assertThat(check.exit()).as(check.all()).isEqualTo(3);
        assertThat(check.out()).containsPattern("impact: builds an index over orders, [0-9]+ MB, ~1,000,000 rows");

        Files.writeString(dir.resolve("1_orders_customer.sql"), "-- runway:up\nCREATE INDEX flags_name ON feature_flags (name);\n"
                + "-- runway:down\nDROP INDEX flags_name;\n");
        SumFile.write(dir);
        Cli.Result checkSmall = Cli.run(cwd, env, "check", "--static", "--against", url.toUnmaskedString());
        assertThat(checkSmall.exit()).as(checkSmall.all()).isZero();
        assertThat(checkSmall.out()).containsPattern("info RW101 .*feature_flags").containsPattern("passes: feature_flags: [0-9]+ kB");
        Cli.Result passed = Cli.run(cwd, env, "release");
        assertThat(passed.exit()).as(passed.all()).isZero();
        assertThat(passed.err()).containsPattern("1_orders_customer.sql:2: info RW101: CREATE INDEX on feature_flags .*"
                + "\\(passes: feature_flags: [0-9]+ kB, below gate.small-table 10 MB\\)");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_indexes WHERE indexname = 'flags_name'")).containsExactly("1");
        assertThat(refused.all() + passed.all() + check.all()).doesNotContain(CliDb.PASSWORD);
    }

    @Test
    void theThresholdComesFromTheFlagTheEnvironmentOrRunwayToml() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "gate");
        sql(url, "CREATE TABLE feature_flags (id int PRIMARY KEY, name text);"
                + " INSERT INTO feature_flags SELECT g, 'flag' || g FROM generate_series(1, 100) g;");
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_flags_name.sql"), "-- runway:up\nCREATE INDEX flags_name ON feature_flags (name);\n");
        SumFile.write(dir);
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", url.toUnmaskedString()));
        String blocks = "error RW101: CREATE INDEX on feature_flags";

        Cli.Result flag = Cli.run(cwd, env, "release", "--gate-small-table", "0");
        assertThat(flag.exit()).as(flag.all()).isEqualTo(3);
        assertThat(flag.err()).contains(blocks).contains("gate.small-table (0 B)");

        env.put("RUNWAY_GATE_SMALL_TABLE", "1kB");
        Cli.Result variable = Cli.run(cwd, env, "release");
        assertThat(variable.exit()).as(variable.all()).isEqualTo(3);
        assertThat(variable.err()).contains(blocks).contains("gate.small-table (1 kB)");
        env.remove("RUNWAY_GATE_SMALL_TABLE");

        Files.writeString(cwd.resolve("runway.toml"), "[lint]\ngate.small-table = \"2kB\"\n");
        Cli.Result toml = Cli.run(cwd, env, "release");
        assertThat(toml.exit()).as(toml.all()).isEqualTo(3);
        assertThat(toml.err()).contains(blocks).contains("gate.small-table (2 kB)");

        // flag > environment > runway.toml
        env.put("RUNWAY_GATE_SMALL_TABLE", "0");
        Cli.Result flagWins = Cli.run(cwd, env, "release", "--gate-small-table", "1MB");
        assertThat(flagWins.exit()).as(flagWins.all()).isZero();
        assertThat(flagWins.err()).contains("below gate.small-table 1 MB");
    }

    private static void sql(DatabaseUrl url, String sql) throws Exception {
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
