package dev.runway.bench;

import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes N benchmark migrations in every tool's format, with the same SQL in each: Runway native
 * files ({@code <n>_bench.sql} with {@code -- runway:up}) and {@code runway.sum}; Flyway
 * {@code V<n>__bench.sql}; Liquibase formatted-SQL changesets {@code include}d from an XML master
 * changelog; and one {@code all.sql} for psql, each migration wrapped in {@code BEGIN; … COMMIT;}.
 *
 * <p>The migrations cycle through four kinds, one table per cycle (the mix of the research harness,
 * shared/research/migrators.md §3): CREATE TABLE with a CHECK and a comment; ADD COLUMN ×2; CREATE
 * INDEX ×2 (one partial unique); INSERT 3 rows + UPDATE. Stateless.
 */
public final class MigrationFiles {
    static final String NOLINT = "-- runway:nolint RW101 benchmark tables are empty\n"
            + "-- runway:nolint RW122 benchmark mix: three-row updates\n";

    /** Where one size's files are. */
    public record Layout(Path runway, Path flyway, Path liquibaseMaster, Path psqlScript) {
    }

    /** The database a correct apply of N migrations leaves behind (user tables {@code t_*} only). */
    public record Expected(int tables, int columns, int indexes, int rows) {
    }

    private MigrationFiles() {
    }

    /** The SQL of migration {@code i} (1-based). */
    public static String sql(int i) {
        int k = (i - 1) / 4 + 1;
        String t = String.format("t_%04d", k);
        switch ((i - 1) % 4) {
            case 0:
                return "CREATE TABLE " + t + " (\n"
                        + "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                        + "    name text NOT NULL,\n"
                        + "    qty integer NOT NULL DEFAULT 0 CONSTRAINT " + t + "_qty_check CHECK (qty >= 0),\n"
                        + "    created_at timestamptz NOT NULL DEFAULT now()\n"
                        + ");\n"
                        + "COMMENT ON TABLE " + t + " IS 'benchmark table " + k + ": items and quantities';\n";
            case 1:
                return "ALTER TABLE " + t + " ADD COLUMN note text;\n"
                        + "ALTER TABLE " + t + " ADD COLUMN status text NOT NULL DEFAULT 'new';\n";
            case 2:
                return "CREATE INDEX " + t + "_name_idx ON " + t + " (name);\n"
                        + "CREATE UNIQUE INDEX " + t + "_active_name_uq ON " + t + " (name) WHERE status = 'active';\n";
            default:
                return "INSERT INTO " + t + " (name, qty) VALUES ('alpha', 1), ('beta', 2), ('gamma', 3);\n"
                        + "UPDATE " + t + " SET status = 'active', note = 'first' WHERE name = 'alpha';\n";
        }
    }

    /** What N migrations create. */
    public static Expected expected(int n) {
        int tables = 0;
        int columns = 0;
        int indexes = 0;
        int rows = 0;
        for (int i = 1; i <= n; i++) {
            switch ((i - 1) % 4) {
                case 0: tables++; columns += 4; indexes++; break;
                case 1: columns += 2; break;
                case 2: indexes += 2; break;
                default: rows += 3; break;
            }
        }
        return new Expected(tables, columns, indexes, rows);
    }

    /** Writes all four formats of {@code n} migrations under {@code root} (replacing what is there). */
    public static Layout write(Path root, int n) {
        try {
            deleteTree(root);
            Path runway = Files.createDirectories(root.resolve("runway"));
            Path flyway = Files.createDirectories(root.resolve("flyway"));
            Path lbChanges = Files.createDirectories(root.resolve("liquibase/changes"));
            StringBuilder all = new StringBuilder();
            StringBuilder master = new StringBuilder()
                    .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n")
                    .append("    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
                    .append("    xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog")
                    .append(" http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n");
            for (int i = 1; i <= n; i++) {
                String sql = sql(i);
                // The mix builds plain indexes on existing tables and updates rows, which release's lint gate
                // refuses by default; the files acknowledge it, so the measured apply includes the gate's cost.
                write(runway.resolve(i + "_bench.sql"), NOLINT + "-- runway:up\n" + sql);
                write(flyway.resolve("V" + i + "__bench.sql"), sql);
                String lb = String.format("%05d.sql", i);
                write(lbChanges.resolve(lb), "--liquibase formatted sql\n\n--changeset bench:" + i + "\n" + sql);
                master.append("  <include file=\"changes/").append(lb).append("\" relativeToChangelogFile=\"true\"/>\n");
                // One transaction per migration, as every migration tool runs these files: one COMMIT (one WAL
                // flush on a durable server) per migration, not one per statement (issue #15).
                all.append("-- migration ").append(i).append('\n').append("BEGIN;\n").append(sql).append("COMMIT;\n");
            }
            master.append("</databaseChangeLog>\n");
            Path masterFile = root.resolve("liquibase/master.xml");
            write(masterFile, master.toString());
            Path psql = root.resolve("psql/all.sql");
            Files.createDirectories(psql.getParent());
            write(psql, all.toString());
            SumFile.write(runway);
            return new Layout(runway, flyway, masterFile, psql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.delete(paths.get(i));
        }
    }
}
