package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.migrate.dir.Layout;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.dir.Placeholders;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every layout of docs/adoption.md, read as it is from a fixture written the way that runner's users write
 * it (src/test/resources/layouts/&lt;runner&gt;): up, down to nothing, up again on real PostgreSQL, with
 * the same schema after both ups and nothing left after the downs.
 */
class LayoutsIT extends EngineTestBase {

    Runway runway(Path dir) {
        return Runway.create(RunwayConfig.builder().url(url).dir(dir).lockWait(Duration.ofSeconds(5))
                .placeholders(new Placeholders(true, Map.of("table_prefix", "app_"))).build());
    }

    Path fixture(String name) {
        Path from = Path.of("src/test/resources/layouts", name);
        Path to = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SumFile.write(to);
        return to;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "golang-migrate | GOLANG_MIGRATE | 3 | shop, shop_name_idx",
        "diesel         | DIESEL         | 3 | app_user, app_user_login_idx, app_user_updated_idx, touch_updated_at",
        "goose          | GOOSE          | 3 | post, post_title_idx, post_title_upper",
        "dbmate         | DBMATE         | 2 | team, team_name_idx",
        "sql-migrate    | SQL_MIGRATE    | 3 | project, project_key_lower_idx, project_owner_idx, project_key_check",
        "flyway         | FLYWAY         | 4 | app_account, app_audit, account_view",
        "liquibase      | LIQUIBASE      | 4 | customer, customer_name_idx, customer_total, customer_count"})
    void upDownUpGivesTheSameSchema(String name, Layout layout, int migrations, String objects) throws Exception {
        Path dir = fixture(name);
        MigrateResult first = runway(dir).migrate();
        assertThat(first.done()).hasSize(migrations);
        assertThat(first.done()).allMatch(m -> m.layout() == layout);
        List<String> afterUp;
        try (Connection c = connect()) {
            for (String o : objects.split(",\\s*")) {
                assertThat(Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = '" + o + "' AND relnamespace = 'public'::regnamespace")
                        + Db.count(c, "SELECT count(*) FROM pg_proc WHERE proname = '" + o + "'")).as(o).isEqualTo(1);
            }
            assertThat(Db.count(c, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
            afterUp = userSchema(c);
        }
        assertThat(runway(dir).status().migrations()).allMatch(s -> s.state() == MigrationState.APPLIED);
        runway(dir).rollback(new MigrateOptions(MigrationVersion.parse("0"), 0, false), MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(userSchema(c)).as("nothing left after every down").isEmpty();
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history WHERE version NOT LIKE 'R\\_\\_%'")).isZero();
        }
        runway(dir).migrate();
        try (Connection c = connect()) {
            assertThat(userSchema(c)).isEqualTo(afterUp);
        }
        assertThat(runway(dir).migrate().done()).as("a second run has nothing to do").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aRepeatableMigrationRunsAfterTheVersionedOnesAndAgainWhenItChanges() throws Exception {
        Path dir = fixture("flyway");
        runway(dir).migrate();
        Files.writeString(dir.resolve("views/R__account_view.sql"),
                "CREATE OR REPLACE VIEW account_view AS SELECT id, email, status FROM ${table_prefix}account;\n");
        Files.writeString(dir.resolve("V4__more.sql"), "ALTER TABLE app_account ADD COLUMN note text;\n");
        SumFile.write(dir);
        StatusResult before = runway(dir).status();
        assertThat(before.migrations()).filteredOn(s -> s.version().isRepeatable()).singleElement()
                .extracting(MigrationStatus::state).isEqualTo(MigrationState.CHANGED_RERUN);
        MigrateResult r = runway(dir).migrate();
        assertThat(r.done()).extracting(m -> m.version().text()).containsExactly("4", "R__account_view");
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT attname FROM pg_attribute WHERE attrelid = 'account_view'::regclass AND attnum > 0"
                    + " ORDER BY attnum")).containsExactly("id", "email", "status");
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history WHERE version = 'R__account_view'")).isEqualTo(1);
        }
        assertThat(runway(dir).migrate().done()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aDownThatCannotRunAsWrittenIsRefusedWhenRolledBackAndNamesItsFile() throws Exception {
        Path dir = tmp.resolve("d");
        Files.createDirectories(dir.resolve("2024-04-12-144536_x"));
        Files.writeString(dir.resolve("2024-04-12-144536_x/up.sql"), "CREATE TABLE c (id int);\n");
        Files.writeString(dir.resolve("2024-04-12-144536_x/down.sql"), "DROP TABLE c;\nCREATE INDEX CONCURRENTLY i ON c (id);\n");
        SumFile.write(dir);
        assertThat(runway(dir).migrate().done()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runway(dir).rollback(new MigrateOptions(null, 1, false),
                        MigrationListener.NONE)).hasMessageContaining("2024-04-12-144536_x/down.sql:2: CREATE INDEX CONCURRENTLY")
                .hasMessageEndingWith("nothing was rolled back");
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "c")).isTrue();
        }
    }

    /** Tables, columns, indexes, views and functions of the public schema, without Runway's history table. */
    static List<String> userSchema(Connection c) throws Exception {
        return Db.strings(c, "SELECT c.relkind::text || ' ' || c.relname || coalesce(' ' || a.attname || ':' || format_type(a.atttypid, a.atttypmod), '')"
                + " FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE c.relnamespace = 'public'::regnamespace AND c.relname <> 'runway_schema_history'"
                + " AND c.relname NOT LIKE 'runway\\_schema\\_history%' AND c.relkind IN ('r', 'i', 'v', 'S')"
                + " UNION ALL SELECT 'f ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                + " UNION ALL SELECT 't ' || tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1");
    }
}
