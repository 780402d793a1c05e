package dev.runway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.MigrationState;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.baseline.BaselineResult;
import dev.runway.migrate.baseline.BaselineSource;
import dev.runway.migrate.dir.Placeholders;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import liquibase.command.CommandScope;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Flyway and Liquibase (the versions the benchmark measures) migrate a database from the layout
 * fixtures of runway-migrate; then Runway adopts it with {@code baseline --from}, reading the history table
 * they wrote, and takes over: nothing runs twice, a Flyway repeatable Flyway already ran is recorded (its
 * checksum matches Flyway's), an undo file added afterwards is accepted, and only new files run.
 */
class PeerHistoriesIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final Path LAYOUTS = Path.of("../runway-migrate/src/test/resources/layouts");

    @TempDir
    Path tmp;

    static void copy(Path from, Path to, boolean withUndo) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!withUndo && f.getFileName().toString().startsWith("U")) {
                    continue;
                }
                Path t = to.resolve(from.relativize(f).toString());
                Files.createDirectories(t.getParent());
                Files.copy(f, t);
            }
        }
    }

    static long count(DatabaseUrl url, String sql) throws Exception {
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Runway runway(DatabaseUrl url, Path dir) {
        return Runway.create(RunwayConfig.builder().url(url).dir(dir).lockWait(Duration.ofSeconds(5))
                .placeholders(new Placeholders(true, Map.of("table_prefix", "app_"))).build());
    }

    @Test
    void runwayTakesOverAFlywayDatabase() throws Exception {
        LAB.lab().createDatabase("peer_flyway");
        DatabaseUrl url = LAB.lab().primary().url("peer_flyway");
        Path dir = tmp.resolve("flyway");
        copy(LAYOUTS.resolve("flyway"), dir, false); // Flyway Community runs no undo files
        Flyway.configure().dataSource(url.jdbcUrl(), url.user(), null).locations("filesystem:" + dir)
                .placeholders(Map.of("table_prefix", "app_")).load().migrate();
        assertThat(count(url, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(4);

        copy(LAYOUTS.resolve("flyway"), tmp.resolve("with-undo"), true);
        Path ours = tmp.resolve("with-undo");
        SumFile.write(ours);
        BaselineResult b = runway(url, ours).baseline(BaselineSource.FLYWAY, null, MigrationListener.NONE);
        assertThat(b.version().text()).isEqualTo("3");
        assertThat(b.mapped()).isEqualTo(3);
        assertThat(b.repeatables()).as("Flyway's checksum of the repeatable matches the file").containsExactly("views/R__account_view.sql");
        assertThat(runway(url, ours).status().migrations()).extracting(s -> s.state())
                .containsOnly(MigrationState.BELOW_BASELINE, MigrationState.BASELINE, MigrationState.APPLIED);
        assertThat(runway(url, ours).migrate().done()).as("nothing runs twice").isEmpty();

        Files.writeString(ours.resolve("V4__note.sql"), "ALTER TABLE ${table_prefix}account ADD COLUMN note text;\n");
        SumFile.write(ours);
        MigrateResult r = runway(url, ours).migrate();
        assertThat(r.done()).extracting(m -> m.version().text()).containsExactly("4");
        assertThat(count(url, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'app_account' AND column_name = 'note'"))
                .isEqualTo(1);
    }

    @Test
    void runwayTakesOverALiquibaseDatabase() throws Exception {
        LAB.lab().createDatabase("peer_liquibase");
        DatabaseUrl url = LAB.lab().primary().url("peer_liquibase");
        Path root = tmp.resolve("lb");
        copy(LAYOUTS.resolve("liquibase"), root.resolve("changes"), true);
        Files.writeString(root.resolve("master.xml"), "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n"
                + "  <includeAll path=\"changes/\" relativeToChangelogFile=\"true\"/>\n</databaseChangeLog>\n");
        liquibase.Scope.child(liquibase.Scope.Attr.resourceAccessor.name(), new liquibase.resource.DirectoryResourceAccessor(root.toFile()),
                () -> new CommandScope("update").addArgumentValue("changelogFile", "master.xml").addArgumentValue("url", url.jdbcUrl())
                        .addArgumentValue("username", url.user()).execute());
        assertThat(count(url, "SELECT count(*) FROM databasechangelog")).as("the oracle-only changeset is skipped").isEqualTo(4);

        Path dir = root.resolve("changes");
        SumFile.write(dir);
        BaselineResult b = runway(url, dir).baseline(BaselineSource.LIQUIBASE, null, MigrationListener.NONE);
        assertThat(b.version()).isEqualTo(dev.runway.migrate.dir.MigrationVersion.parse("2.2"));
        assertThat(b.mapped()).isEqualTo(4);
        assertThat(runway(url, dir).migrate().done()).as("nothing runs twice").isEmpty();
        Files.writeString(dir.resolve("002-changelog.sql"), Files.readString(dir.resolve("002-changelog.sql"))
                + "\n--changeset carol:4\nCREATE TABLE invoice (id bigint);\n--rollback DROP TABLE invoice;\n");
        SumFile.write(dir);
        assertThat(runway(url, dir).migrate().done()).extracting(m -> m.description()).containsExactly("carol:4");
        assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'invoice'")).isEqualTo(1);
    }
}
