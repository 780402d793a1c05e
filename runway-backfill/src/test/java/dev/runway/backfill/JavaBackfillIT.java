package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java backfills through the Java API: a class (CRC-32 of a payload, which PostgreSQL has no function
 * for) walks a uuid-keyed table with the same batching, checkpoints and resume as SQL; a failing class
 * fails its batch only; a class that commits itself is refused; bad class names are refused before
 * anything changes.
 */
class JavaBackfillIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    /** Keys of every batch the last {@link Crc32} instance saw. */
    static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();

    /** Writes crc = CRC-32 of payload for the batch's rows. */
    public static class Crc32 implements JavaBackfill {
        @Override
        public long run(BackfillBatch batch) throws Exception {
            BATCH_SIZES.add(batch.keys().size());
            Connection c = batch.connection();
            long rows = 0;
            try (PreparedStatement sel = c.prepareStatement("SELECT id, payload FROM " + batch.table() + " WHERE " + batch.range()
                    + " FOR UPDATE"); PreparedStatement upd = c.prepareStatement("UPDATE " + batch.table()
                    + " SET crc = ?, touched = touched + 1 WHERE id = ?")) {
                batch.bindRange(sel, 1);
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        upd.setLong(1, crc(rs.getString(2)));
                        upd.setObject(2, rs.getObject(1));
                        upd.addBatch();
                        rows++;
                    }
                }
                upd.executeBatch();
            }
            return rows;
        }
    }

    /** Fails on the batch that contains a payload 'poison'. */
    public static class Poisoned extends Crc32 {
        @Override
        public long run(BackfillBatch batch) throws Exception {
            try (PreparedStatement ps = batch.connection().prepareStatement("SELECT count(*) FROM " + batch.table() + " WHERE "
                    + batch.range() + " AND payload = 'poison'")) {
                batch.bindRange(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new IllegalStateException("cannot checksum a poisoned payload");
                    }
                }
            }
            return super.run(batch);
        }
    }

    /** Commits the batch's transaction itself: not allowed. */
    public static class Committer implements JavaBackfill {
        @Override
        public long run(BackfillBatch batch) throws Exception {
            batch.connection().commit();
            return 0;
        }
    }

    /** Not a backfill. */
    public static class NotABackfill {
    }

    static long crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return c.getValue();
    }

    BackfillFixture events(int rows) {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp);
        f.exec("CREATE TABLE events (id uuid PRIMARY KEY, payload text NOT NULL, crc bigint, touched int NOT NULL DEFAULT 0);"
                + " INSERT INTO events (id, payload) SELECT gen_random_uuid(), repeat(md5(g::text), 3) FROM generate_series(1, " + rows + ") g;"
                + " ANALYZE events");
        return f;
    }

    static String directive(String className, String more) {
        return "-- runway:backfill table=events key=id class=" + className + " batch=1000 target=0 max-lag=0" + more + "\n-- runway:up\n";
    }

    @Test
    void aJavaClassDoesEachBatchInTheBatchTransaction() throws Exception {
        BackfillFixture f = events(10_000).data("1_crc.sql", directive(Crc32.class.getName(), ""));
        BATCH_SIZES.clear();
        BackfillIT.Events events = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        assertThat(f.number("SELECT count(*) FROM events WHERE touched = 1")).isEqualTo(10_000);
        assertThat(f.number("SELECT max(touched) FROM events")).isEqualTo(1);
        try (Connection c = LAB.lab().primary().connect(f.url.database()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT payload, crc FROM events")) {
            while (rs.next()) {
                assertThat(rs.getLong(2)).isEqualTo(crc(rs.getString(1)));
            }
        }
        assertThat(BATCH_SIZES).hasSize(10).allMatch(n -> n == 1000);
        assertThat(events.progress).hasSize(10);
        assertThat(events.progress.get(9).rows()).isEqualTo(10_000);
        assertThat(events.progress.get(9).done()).isTrue();
    }

    @Test
    void aJavaBackfillStopsAndResumesFromItsCheckpoint() {
        BackfillFixture f = events(6000).data("1_crc.sql", directive(Crc32.class.getName(), ""));
        Runway runway = f.runway();
        assertThatThrownBy(() -> runway.migrateData(MigrateOptions.ALL, KeysIT.stopAfter(runway, 2), new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY));
        assertThat(f.number("SELECT count(*) FROM events WHERE touched = 1")).isEqualTo(2000);
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertThat(f.number("SELECT count(*) FROM events WHERE touched = 1")).isEqualTo(6000);
        assertThat(f.number("SELECT max(touched) FROM events")).isEqualTo(1);
    }

    @Test
    void aFailingClassFailsItsBatchOnly() {
        BackfillFixture f = events(5000).data("1_crc.sql", directive(Poisoned.class.getName(), ""));
        f.exec("UPDATE events SET payload = 'poison' WHERE id = (SELECT id FROM events ORDER BY id OFFSET 3500 LIMIT 1)");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
                .hasMessageContaining(Poisoned.class.getName() + " failed: java.lang.IllegalStateException: cannot checksum a poisoned"
                        + " payload");
        assertThat(f.number("SELECT count(*) FROM events WHERE touched = 1")).as("batches 1-3 stay done").isEqualTo(3000);
        assertThat(f.number("SELECT rows FROM runway_schema_history_backfill")).isEqualTo(3000);
    }

    @Test
    void aClassThatCommitsItselfIsRefused() {
        BackfillFixture f = events(3000).data("1_c.sql", directive(Committer.class.getName(), ""));
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
                .hasMessageContaining(Committer.class.getName() + " ended the batch's transaction itself");
        assertThat(f.number("SELECT count(*) FROM runway_schema_history")).as("nothing of the backfill remains").isZero();
    }

    @Test
    void badClassesAreRefusedBeforeAnythingChanges() {
        BackfillFixture f = events(10);
        f.data("1_x.sql", directive("com.example.Missing", ""));
        KeysIT.assertRefused(f, "1_x.sql:1: backfill class com.example.Missing is not on the class path (CLI: --classpath or"
                + " RUNWAY_CLASSPATH with its jar or classes directory; Java API: BackfillConfig.classLoader)");
        f.data("1_x.sql", directive(NotABackfill.class.getName(), ""));
        KeysIT.assertRefused(f, "does not implement dev.runway.backfill.JavaBackfill");
        f.data("1_x.sql", directive(Crc32.class.getName(), "") + "UPDATE events SET crc = 0 WHERE id >= :first AND id <= :last;\n");
        KeysIT.assertRefused(f, "1_x.sql:3: a Java backfill (class=" + Crc32.class.getName() + ") runs no SQL of its own");
        f.data("1_x.sql", "-- runway:backfill table=events key=id\n-- runway:up\n");
        KeysIT.assertRefused(f, "1_x.sql:1: a backfill needs an up statement that uses the batch's bounds, e.g. UPDATE events SET ..."
                + " WHERE id >= :first AND id <= :last");
    }

    @Test
    void theClassComesFromTheConfiguredClassLoader() {
        BackfillFixture f = events(100).data("1_crc.sql", directive(Crc32.class.getName(), ""));
        ClassLoader none = new ClassLoader(null) { }; // sees only the JDK
        BackfillConfig isolated = BackfillConfig.builder().classLoader(none).build();
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller(isolated)))
                .hasMessageContaining("is not on the class path");
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE,
                new Backfiller(BackfillConfig.builder().classLoader(getClass().getClassLoader()).build()));
        assertThat(f.number("SELECT count(*) FROM events WHERE touched = 1")).isEqualTo(100);
    }
}
