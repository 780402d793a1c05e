package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** rollback never surprises: a mistyped --to or a too large --step changes nothing; dry runs show the SQL, in text and JSON. */
class RollbackCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env;

    @BeforeEach
    void threeApplied() throws Exception {
        url = CliDb.create(LAB.lab(), "rollback");
        env = Map.of("DATABASE_URL", url.toUnmaskedString());
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("20250301120000_a.sql"), "-- runway:up\nCREATE TABLE a (id int);\n-- runway:down\nDROP TABLE a;\n");
        Files.writeString(dir.resolve("20250302120000_b.sql"), "-- runway:up\nCREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\n"
                + "-- runway:down\nDELETE FROM b;\nDROP TABLE b;\n");
        Files.writeString(dir.resolve("20250303120000_c.up.sql"), "CREATE INDEX CONCURRENTLY c_id ON b (id);\n");
        Files.writeString(dir.resolve("20250303120000_c.down.sql"), "DROP INDEX CONCURRENTLY c_id;\n");
        SumFile.write(dir);
        Cli.Result r = Cli.run(cwd, env, "migrate", "--format", "json");
        assertThat(r.exit()).as(r.all()).isZero();
    }

    @Test
    void aMistypedVersionOrTooManyStepsChangesNothing() {
        List<String> before = CliDb.snapshot(LAB.lab(), url);
        Cli.Result typo = Cli.run(cwd, env, "rollback", "--to", "2025030212000");
        assertThat(typo.exit()).as(typo.all()).isEqualTo(2);
        assertThat(typo.errLines()).containsExactly("runway: error: rollback --to 2025030212000: not an applied version (the nearest"
                + " applied version is 20250301120000 (newer)); give an applied version, or 0 to undo everything; nothing was rolled back");
        Cli.Result steps = Cli.run(cwd, env, "rollback", "--step", "4", "--format", "json");
        assertThat(steps.exit()).as(steps.all()).isEqualTo(2);
        assertThat(steps.errLines()).hasSize(1).allMatch(l -> l.contains("--step 4: only 3 migrations are applied"));
        assertThat(CliDb.snapshot(LAB.lab(), url)).isEqualTo(before);
        assertThat(typo.all() + steps.all()).doesNotContain(CliDb.PASSWORD);
    }

    @Test
    void dryRunListsEveryMigrationWithItsDownSql() throws Exception {
        List<String> before = CliDb.snapshot(LAB.lab(), url);
        Cli.Result text = Cli.run(cwd, env, "rollback", "--to", "20250301120000", "--dry-run");
        assertThat(text.exit()).as(text.all()).isZero();
        String out = text.out();
        assertThat(out).contains("would revert version 20250303120000 (c): 20250303120000_c.down.sql, no transaction")
                .contains("    DROP INDEX CONCURRENTLY c_id")
                .contains("would revert version 20250302120000 (b): 20250302120000_b.sql, one transaction")
                .contains("    DELETE FROM b").contains("-- 2 migrations (dry run: nothing was changed)")
                .doesNotContain("version 20250301120000 (a)");
        assertThat(out.indexOf("20250303120000 (c)")).isLessThan(out.indexOf("20250302120000 (b)"));

        JsonNode doc = JSON.readTree(Cli.run(cwd, env, "rollback", "--step", "2", "--dry-run", "--format", "json").out());
        assertThat(doc.get("dry_run").asBoolean()).isTrue();
        JsonNode plan = doc.get("plan");
        assertThat(plan).hasSize(2);
        assertThat(plan.get(0).get("file").asText()).isEqualTo("20250303120000_c.down.sql");
        assertThat(plan.get(0).get("transaction").asText()).isEqualTo("none");
        assertThat(plan.get(0).get("statements").get(0).get("sql").asText()).isEqualTo("DROP INDEX CONCURRENTLY c_id");
        assertThat(plan.get(1).get("statements").get(0).get("sql").asText()).isEqualTo("DELETE FROM b");
        assertThat(CliDb.snapshot(LAB.lab(), url)).isEqualTo(before);

        Cli.Result rb = Cli.run(cwd, env, "rollback", "--to", "20250301120000");
        assertThat(rb.exit()).as(rb.all()).isZero();
        Cli.Result dryUp = Cli.run(cwd, env, "migrate", "--dry-run");
        assertThat(dryUp.out()).contains("would apply version 20250302120000 (b): 20250302120000_b.sql, one transaction")
                .contains("    INSERT INTO b VALUES (1)").contains("would apply version 20250303120000 (c)")
                .contains("    CREATE INDEX CONCURRENTLY c_id ON b (id)");
    }
}
