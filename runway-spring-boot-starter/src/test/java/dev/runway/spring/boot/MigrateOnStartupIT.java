package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import dev.runway.spring.boot.apps.plain.PlainApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.core.NestedExceptionUtils;

/**
 * {@code runway.migrate-on-startup}: off by default (nothing is applied); on, the schema and data
 * migrations (a backfill included) are applied before any bean that uses the DataSource starts.
 */
class MigrateOnStartupIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    /** A bean that reads the migrated table while the context starts: it must find the table filled. */
    @Configuration
    static class ReadsAtStartup {
        @Bean
        Long notesAtStartup(DataSource ds) {
            return JdbcClient.create(ds).sql("SELECT count(*) FROM notes WHERE title IS NOT NULL").query(Long.class).single();
        }
    }

    private static ConfigurableApplicationContext start(Path dir, boolean migrate, Class<?>... extra) {
        Class<?>[] sources = new Class<?>[extra.length + 1];
        sources[0] = PlainApp.class;
        System.arraycopy(extra, 0, sources, 1, extra.length);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "runway.database-url=" + LAB.url().toUnmaskedString(),
                        "runway.migrate-on-startup=" + migrate, "runway.migrations.dir=" + dir)
                .run();
    }

    private static void migrations(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("20250101000000_notes.sql"), "-- runway:up\nCREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);\n"
                + "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g;\n"
                + "ALTER TABLE notes ADD COLUMN title text;\n\n-- runway:down\nDROP TABLE notes;\n");
        Files.writeString(dir.resolve("data/20250102000000_titles.sql"), "-- runway:backfill table=notes key=id batch=100\n-- runway:up\n"
                + "UPDATE notes SET title = upper(body) WHERE id >= :lo AND id < :hi AND title IS NULL;\n");
        SumFile.write(dir);
        SumFile.write(dir.resolve("data"));
    }

    @Test
    void offByDefault(@TempDir Path dir) throws Exception {
        migrations(dir);
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(PlainApp.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "runway.database-url=" + LAB.url().toUnmaskedString(),
                        "runway.migrations.dir=" + dir).run()) {
            assertThat(ctx.containsBean("runwayStartupMigrations")).isFalse();
        }
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'notes'")).isZero();
    }

    @Test
    void appliesSchemaAndBackfillBeforeTheBeansThatUseTheDataSource(@TempDir Path dir) throws Exception {
        migrations(dir);
        try (ConfigurableApplicationContext ctx = start(dir, true, ReadsAtStartup.class)) {
            assertThat(ctx.getBean("notesAtStartup", Long.class)).isEqualTo(500L);
        }
        assertThat(count("SELECT count(*) FROM runway_schema_history WHERE status = 'applied'")).isEqualTo(2);
        try (ConfigurableApplicationContext ctx = start(dir, true)) {
            assertThat(count("SELECT count(*) FROM runway_schema_history")).as("second start: nothing pending").isEqualTo(2);
        }
    }

    @Test
    void aMissingDirectoryIsRefused(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> start(missing, true).close())
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).isInstanceOf(RunwayException.class)
                        .hasMessageContaining(missing.toString()).hasMessageContaining("runway.migrations.dir"));
    }

    private static long count(String sql) throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
