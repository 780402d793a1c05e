package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.dir.Migration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys other than one integer column, through the Java API: uuid, text walked in its ICU collation's
 * order, a composite (tenant_id, id) key walked by row comparison, a non-unique timestamp key; every
 * row exactly once, a stop resumes exactly after the checkpoint's key, keys without a usable index are
 * refused before anything changes. 50,000 rows per table; 1,000,000 with -Plong.
 */
class KeysIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    static final int ROWS = Integer.getInteger("runway.it.scale", 1) > 1 ? 1_000_000 : 50_000;

    @TempDir
    Path tmp;

    static String backfill(String directive, String where, String table) {
        return "-- runway:backfill " + directive + " target=0 max-lag=0\n-- runway:up\nUPDATE " + table + " SET touched = touched + 1 WHERE "
                + where + ";\n";
    }

    /** Every row exactly once. */
    static void assertEachRowOnce(BackfillFixture f, String table) {
        assertThat(f.number("SELECT count(*) FROM " + table + " WHERE touched = 1")).isEqualTo(ROWS);
        assertThat(f.number("SELECT count(*) FROM " + table + " WHERE touched <> 1")).as("rows not touched exactly once").isZero();
    }

    /** Cancels the run (what Ctrl-C does) once {@code batches} batches are committed. */
    static BackfillIT.Events stopAfter(Runway runway, int batches) {
        return new BackfillIT.Events() {
            @Override
            public void backfillProgress(Migration m, BackfillProgress p) {
                super.backfillProgress(m, p);
                if (p.batches() == batches) {
                    runway.cancel();
                }
            }
        };
    }

    @Test
    void uuidKeyEveryRowOnceWithAnEstimateForTheEta() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        f.exec("CREATE TABLE u (id uuid PRIMARY KEY, touched int NOT NULL DEFAULT 0);"
                + " INSERT INTO u (id) SELECT gen_random_uuid() FROM generate_series(1, " + ROWS + "); ANALYZE u");
        f.data("1_u.sql", backfill("table=u key=id batch=5000", "id >= :first AND id <= :last", "u"));
        BackfillIT.Events events = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        assertEachRowOnce(f, "u");
        assertThat(events.progress).hasSize(ROWS / 5000);
        BackfillProgress mid = events.progress.get(events.progress.size() / 2);
        assertThat(mid.estimatedKeys()).as("reltuples after ANALYZE").isEqualTo(ROWS);
        assertThat(mid.fraction()).isBetween(0.4, 0.6);
        assertThat(mid.eta()).isNotNull();
        assertThat(mid.position().columns()).containsExactly("id");
        assertThat(f.text("SELECT last_key[1] FROM runway_schema_history_backfill")).isEqualTo(f.text("SELECT id::text FROM u ORDER BY id DESC LIMIT 1"));
        assertThat(f.text("SELECT keys || ' ' || done FROM runway_schema_history_backfill")).isEqualTo(ROWS + " true");
    }

    @Test
    void textKeyIsWalkedInItsCollationOrderAndResumesExactlyAfterTheCheckpoint() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        // mixed case: the ICU order (a A b B ...) differs from the byte order (A B ... a b ...)
        f.exec("CREATE TABLE s (k text COLLATE \"en-x-icu\" PRIMARY KEY, touched int NOT NULL DEFAULT 0);"
                + " INSERT INTO s (k) SELECT CASE WHEN g % 2 = 0 THEN upper(md5(g::text)) ELSE md5(g::text) END || g"
                + " FROM generate_series(1, " + ROWS + ") g; ANALYZE s");
        f.data("1_s.sql", backfill("table=s key=k batch=2000", "k BETWEEN :first AND :last", "s"));
        Runway runway = f.runway();
        assertThatThrownBy(() -> runway.migrateData(MigrateOptions.ALL, stopAfter(runway, 4), new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY));
        assertThat(f.number("SELECT count(*) FROM s WHERE touched = 1")).isEqualTo(8000);
        assertThat(f.number("SELECT count(*) FROM (SELECT touched FROM s ORDER BY k LIMIT 8000) x WHERE touched = 1"))
                .as("the first 8000 keys in the column's collation order").isEqualTo(8000);
        assertThat(f.text("SELECT last_key[1] FROM runway_schema_history_backfill"))
                .isEqualTo(f.text("SELECT k FROM s ORDER BY k OFFSET 7999 LIMIT 1"));

        BackfillIT.Events second = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, second, new Backfiller());
        assertThat(second.progress.get(0).batches()).isEqualTo(5);
        assertEachRowOnce(f, "s");
    }

    @Test
    void compositeKeyIsWalkedByRowComparison() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        f.exec("CREATE TABLE o (tenant_id int NOT NULL, id bigint NOT NULL, touched int NOT NULL DEFAULT 0, PRIMARY KEY (tenant_id, id));"
                + " INSERT INTO o (tenant_id, id) SELECT g % 37, g FROM generate_series(1, " + ROWS + ") g; ANALYZE o");
        f.data("1_o.sql", backfill("table=o key=tenant_id,id batch=3000",
                "(tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id)", "o"));
        Runway runway = f.runway();
        assertThatThrownBy(() -> runway.migrateData(MigrateOptions.ALL, stopAfter(runway, 3), new Backfiller()))
                .isInstanceOf(RunwayException.class);
        assertThat(f.text("SELECT array_to_string(last_key, ',') FROM runway_schema_history_backfill"))
                .isEqualTo(f.text("SELECT tenant_id || ',' || id FROM o ORDER BY tenant_id, id OFFSET 8999 LIMIT 1"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertEachRowOnce(f, "o");
    }

    @Test
    void nonUniqueTimestampKeyKeepsEqualKeysInOneBatch() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        // three rows per microsecond timestamp: equal keys never straddle two batches
        f.exec("CREATE TABLE e (at timestamptz NOT NULL, touched int NOT NULL DEFAULT 0); CREATE INDEX e_at ON e (at);"
                + " INSERT INTO e (at) SELECT timestamptz '2024-03-31 01:59:59.999999+00' + (g / 3) * interval '1 microsecond'"
                + " FROM generate_series(0, " + (ROWS - 1) + ") g; ANALYZE e");
        f.data("1_e.sql", backfill("table=e key=at batch=1000", "at >= :first AND at <= :last", "e"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertEachRowOnce(f, "e");
    }

    @Test
    void aVarcharKeyWalksItsIndexAlsoUnderTheVarcharOpsAlias() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        // varchar_ops is not the default operator class of its input type, but it sorts like it (same family)
        f.exec("CREATE TABLE v (id varchar(26) NOT NULL, touched int NOT NULL DEFAULT 0); CREATE UNIQUE INDEX v_id ON v (id varchar_ops);"
                + " INSERT INTO v (id) SELECT substr(md5(g::text) || md5(g::text), 1, 26) FROM generate_series(1, " + ROWS + ") g");
        f.data("1_v.sql", backfill("table=v key=id batch=5000", "id >= :first AND id <= :last", "v"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertEachRowOnce(f, "v");
    }

    @Test
    void integerKeysTakeFirstAndLastToo() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(ROWS);
        f.data("1_t.sql", backfill("table=t key=id batch=4000", "id BETWEEN :first AND :last", "t"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertEachRowOnce(f, "t");
    }

    static void assertRefused(BackfillFixture f, String message) {
        long rowsBefore = f.number("SELECT count(*) FROM pg_stat_user_tables WHERE n_tup_upd > 0");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageStartingWith("1_x.sql:").hasMessageContaining(message);
        assertThat(f.number("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'runway%'")).as("nothing created").isZero();
        assertThat(f.number("SELECT count(*) FROM pg_stat_user_tables WHERE n_tup_upd > 0")).as("nothing updated").isEqualTo(rowsBefore);
    }

    @Test
    void aKeyWithoutAMatchingIndexIsRefusedBeforeAnythingChanges() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        f.exec("CREATE TABLE o (tenant_id int NOT NULL, id bigint NOT NULL, name text COLLATE \"en-x-icu\" NOT NULL,"
                + " touched int NOT NULL DEFAULT 0); CREATE UNIQUE INDEX o_id_tenant ON o (id, tenant_id);"
                + " CREATE INDEX o_name_c ON o (name COLLATE \"C\"); CREATE INDEX o_name_pattern ON o (name text_pattern_ops);"
                + " CREATE INDEX o_tenant_recent ON o (tenant_id, id) WHERE id > 100;"
                + " INSERT INTO o SELECT g % 5, g, 'n' || g FROM generate_series(1, 1000) g");
        String where = "(tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id)";
        f.data("1_x.sql", backfill("table=o key=tenant_id,id", where, "o"));
        assertRefused(f, "backfill key (tenant_id, id) of o has no usable index, so every batch would scan the table; create one"
                + " first, in a schema migration: CREATE INDEX CONCURRENTLY ON \"o\" (\"tenant_id\", \"id\") (not usable:"
                + " o_id_tenant does not start with (tenant_id, id); o_tenant_recent is partial (it covers only some rows))");
        f.data("1_x.sql", backfill("table=o key=id,tenant_id", where.replace("tenant_id, id", "id, tenant_id")
                .replace("_tenant_id, :first_id", "_id, :first_tenant_id").replace("_tenant_id, :last_id", "_id, :last_tenant_id"), "o"));
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()); // the index's own order is fine
        f.exec("DROP TABLE runway_schema_history, runway_schema_history_backfill; UPDATE o SET touched = 0");

        f.data("1_x.sql", backfill("table=o key=name", "name >= :first AND name <= :last", "o"));
        assertRefused(f, "CREATE INDEX CONCURRENTLY ON \"o\" (\"name\") (not usable: o_name_c sorts name in another collation than"
                + " the column's; o_name_pattern sorts name with a non-default operator class (e.g. text_pattern_ops), not in its"
                + " collation's order)");
    }

    @Test
    void nullKeysAndUnorderableTypesAreRefused() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        f.exec("CREATE TABLE n (k uuid UNIQUE, j json, touched int NOT NULL DEFAULT 0);"
                + " INSERT INTO n (k) SELECT gen_random_uuid() FROM generate_series(1, 100); INSERT INTO n (k) VALUES (NULL)");
        f.data("1_x.sql", backfill("table=n key=k", "k >= :first AND k <= :last", "n"));
        assertRefused(f, "backfill key k has rows where k IS NULL, which the walk would never visit; fill them and add NOT NULL"
                + " first, or choose another key");
        f.data("1_x.sql", backfill("table=n key=j", "j >= :first AND j <= :last", "n"));
        assertRefused(f, "backfill key j of n cannot be walked in order: could not identify an ordering operator for type json");
        f.exec("DELETE FROM n WHERE k IS NULL");
        f.data("1_x.sql", backfill("table=n key=k", "k >= :lo AND k < :hi", "n"));
        assertRefused(f, ":lo needs one smallint, integer or bigint key column");
    }

    @Test
    void aCheckpointOfTheFirstIntegerOnlyFormatIsUpgradedAndResumedExactly() throws Exception {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000);
        f.data("1_t.sql", backfill("table=t key=id batch=1000", "id >= :lo AND id < :hi", "t"));
        Runway runway = f.runway();
        assertThatThrownBy(() -> runway.migrateData(MigrateOptions.ALL, stopAfter(runway, 6), new Backfiller()))
                .isInstanceOf(RunwayException.class);
        String next = f.text("SELECT next_key FROM runway_schema_history_backfill");
        // what the first version left: next_key NOT NULL, no typed columns
        f.exec("ALTER TABLE runway_schema_history_backfill DROP COLUMN key_columns, DROP COLUMN key_types, DROP COLUMN last_key,"
                + " DROP COLUMN keys, ALTER COLUMN next_key SET NOT NULL");
        try (java.sql.Connection c = LAB.lab().primary().connect(f.url.database())) {
            assertThat(Backfiller.readCheckpoints(c, "public", "runway_schema_history").get("1").summary())
                    .isEqualTo("6000 rows in 6 batches, after key " + (Long.parseLong(next) - 1));
        }

        BackfillIT.Events second = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, second, new Backfiller());
        assertThat(second.progress.get(0).batches()).isEqualTo(7);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(20_000);
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
        assertThat(f.text("SELECT key_columns[1] || ' ' || last_key[1] || ' ' || next_key FROM runway_schema_history_backfill"))
                .isEqualTo("id " + f.text("SELECT max(id) FROM t") + " " + (f.number("SELECT max(id) FROM t") + 1));
    }
}
