package dev.runway.lint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a realistic, safely written migration history of {@code n} native Runway files (each with a
 * down section): every tenth creates a table, the others add columns, CONCURRENTLY indexes (in their
 * own files), NOT VALID checks and their VALIDATE, views, functions, comments and defaults.
 */
final class SyntheticHistory {
    private SyntheticHistory() {
    }

    static Path write(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            int k = i - i % 10;
            String t = "t" + k;
            String up;
            String down;
            switch (i % 10) {
                case 0:
                    up = "CREATE TABLE " + t + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text, b int, created_at timestamptz DEFAULT now());";
                    down = "DROP TABLE " + t + ";";
                    break;
                case 1:
                    up = "ALTER TABLE " + t + " ADD COLUMN c" + i + " text;";
                    down = "ALTER TABLE " + t + " DROP COLUMN c" + i + ";";
                    break;
                case 2:
                    up = "CREATE INDEX CONCURRENTLY " + t + "_a_" + i + " ON " + t + " (a);";
                    down = "DROP INDEX CONCURRENTLY " + t + "_a_" + i + ";";
                    break;
                case 3:
                    up = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_b_pos CHECK (b > 0) NOT VALID;";
                    down = "ALTER TABLE " + t + " DROP CONSTRAINT " + t + "_b_pos;";
                    break;
                case 4:
                    up = "ALTER TABLE " + t + " VALIDATE CONSTRAINT " + t + "_b_pos;";
                    down = "SELECT 1;";
                    break;
                case 5:
                    up = "CREATE VIEW v" + i + " AS SELECT id, a FROM " + t + ";";
                    down = "DROP VIEW v" + i + ";";
                    break;
                case 6:
                    up = "ALTER TABLE " + t + " ADD COLUMN d" + i + " int NOT NULL DEFAULT 0;";
                    down = "ALTER TABLE " + t + " DROP COLUMN d" + i + ";";
                    break;
                case 7:
                    up = "CREATE FUNCTION f" + i + "() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT " + i + " $$;";
                    down = "DROP FUNCTION f" + i + "();";
                    break;
                case 8:
                    up = "COMMENT ON TABLE " + t + " IS 'table " + k + "';";
                    down = "COMMENT ON TABLE " + t + " IS NULL;";
                    break;
                default:
                    up = "ALTER TABLE " + t + " ALTER COLUMN a SET DEFAULT 'x';";
                    down = "ALTER TABLE " + t + " ALTER COLUMN a DROP DEFAULT;";
                    break;
            }
            String name = String.format("%014d_step_%d.sql", 20250000000000L + i, i);
            Files.writeString(dir.resolve(name), "-- runway:up\n" + up + "\n-- runway:down\n" + down + "\n");
        }
        return dir;
    }
}
