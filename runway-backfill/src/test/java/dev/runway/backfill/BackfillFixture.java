package dev.runway.backfill;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.junit.TestDatabase;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: a fresh database ({@link TestDatabase}) with a table to backfill, data migration files, and an
 * engine for them.
 */
final class BackfillFixture {
    final Lab lab;
    private final TestDatabase db;
    DatabaseUrl url;
    final Path dir;

    BackfillFixture(Lab lab, Path tmp) {
        this.lab = lab;
        this.db = TestDatabase.create(lab, "bf");
        this.url = db.url();
        this.dir = tmp.resolve("migrations-" + db.name());
    }

    /** Table {@code t(id bigint primary key, v int, touched int)} with {@code rows} rows, keys with gaps (every third missing). */
    BackfillFixture table(int rows) {
        exec("CREATE TABLE t (id bigint PRIMARY KEY, v int, touched int NOT NULL DEFAULT 0);"
                + " INSERT INTO t (id) SELECT g FROM generate_series(1, " + (rows * 3 / 2 + 2) + ") g WHERE g % 3 <> 0 LIMIT " + rows
                + "; ANALYZE t");
        return this;
    }

    BackfillFixture data(String name, String content) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("data").resolve(name), content);
            SumFile.write(dir.resolve("data"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /**
     * From now on the engine connects as {@code role}: a login role without superuser or pg_monitor that
     * owns the database (so it may create Runway's tables) and the given tables.
     */
    BackfillFixture asOrdinaryRole(String role, String... tables) {
        TestDatabase.of(lab, "postgres").exec("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role
                + "') THEN CREATE ROLE " + role + " LOGIN NOSUPERUSER; END IF; END$$; ALTER DATABASE " + db.name() + " OWNER TO " + role);
        for (String t : tables) {
            exec("ALTER TABLE " + t + " OWNER TO " + role);
        }
        url = DatabaseUrl.of(url.host(), url.port(), url.database(), role, null);
        return this;
    }

    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(dir).build());
    }

    void exec(String sql) {
        db.exec(sql);
    }

    long number(String sql) {
        return db.number(sql);
    }

    String text(String sql) {
        return db.text(sql);
    }
}
