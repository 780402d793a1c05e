package dev.runway.backfill;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: a fresh database with a table to backfill, data migration files, and an engine for them. */
final class BackfillFixture {
    private static final AtomicInteger DBS = new AtomicInteger();
    final Lab lab;
    DatabaseUrl url;
    final Path dir;

    BackfillFixture(Lab lab, Path tmp) {
        this.lab = lab;
        String db = "bf_" + DBS.incrementAndGet();
        lab.createDatabase(db);
        this.url = lab.primary().url(db);
        this.dir = tmp.resolve("migrations-" + db);
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
        try (Connection c = lab.primary().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE " + role
                    + " LOGIN NOSUPERUSER; END IF; END$$; ALTER DATABASE " + url.database() + " OWNER TO " + role);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
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
        try (Connection c = lab.primary().connect(url.database()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long number(String sql) {
        try (Connection c = lab.primary().connect(url.database()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String text(String sql) {
        try (Connection c = lab.primary().connect(url.database()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
