package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.RepairResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill whose batch fails after earlier batches committed: the row is failed (later runs refuse,
 * exit 4), {@code repairData} says what it will do, keeps the checkpoint and makes the row resumable,
 * and the next run continues after the last committed batch, every row exactly once.
 */
class RepairIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    static final String DIRECTIVE = "-- runway:backfill table=t key=id batch=500 target=0 max-lag=0\n";

    /** 3000 rows whose update fails from key 1200 on while stop_at holds a row. */
    BackfillFixture failingAt1200() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(3000).data("1_touch.sql", DIRECTIVE + BackfillIT.TOUCH);
        f.exec("CREATE TABLE stop_at (id bigint); INSERT INTO stop_at VALUES (1200);"
                + " CREATE FUNCTION t_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.id >= (SELECT coalesce(max(id), 1e18) FROM stop_at) THEN RAISE EXCEPTION 'guard at %', NEW.id; END IF;"
                + " RETURN NEW; END $$; CREATE TRIGGER t_guard BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_guard()");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
                .hasMessageContaining("guard at").hasMessageContaining("earlier batches stay done")
                .hasMessageContaining("then 'runway repair' (it keeps the checkpoint)");
        return f;
    }

    @Test
    void aFailedBackfillIsRefusedUntilRepairedThenResumesFromItsCheckpoint() {
        BackfillFixture f = failingAt1200();
        long done = f.number("SELECT count(*) FROM t WHERE touched = 1");
        assertThat(done).isEqualTo(f.number("SELECT rows FROM runway_schema_history_backfill")).isPositive();
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).isEqualTo("failed");
        assertThat(f.text("SELECT error FROM runway_schema_history WHERE kind = 'data'")).contains("guard at");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessageContaining("1_touch.sql: failed in an earlier run: ").hasMessageContaining("run 'runway repair'");

        String after = f.text("SELECT last_key[1] FROM runway_schema_history_backfill");
        String checkpoint = f.text("SELECT batches || ' ' || rows FROM runway_schema_history_backfill");
        RepairResult dry = f.runway().repairData(true, MigrationListener.NONE, new Backfiller());
        assertThat(dry.actions()).singleElement().asString().startsWith("1_touch.sql: clear the failed state (ERROR: guard at ")
                .endsWith("), keep the checkpoint (" + done + " rows in " + checkpoint.split(" ")[0] + " batches, after id " + after
                        + "); the next 'runway data migrate' resumes after it");
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).as("dry run").isEqualTo("failed");

        f.exec("DELETE FROM stop_at"); // the cause, fixed
        RepairResult r = f.runway().repairData(false, MigrationListener.NONE, new Backfiller());
        assertThat(r.actions()).isEqualTo(dry.actions());
        assertThat(f.text("SELECT status || ' ' || coalesce(error, '-') FROM runway_schema_history WHERE kind = 'data'"))
                .isEqualTo("running -");
        assertThat(f.text("SELECT batches || ' ' || rows FROM runway_schema_history_backfill")).as("checkpoint kept").isEqualTo(checkpoint);

        BackfillIT.Events events = new BackfillIT.Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        assertThat(events.progress.get(0).batches()).isEqualTo(Long.parseLong(checkpoint.split(" ")[0]) + 1);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(3000);
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).isEqualTo("applied");
        assertThat(f.runway().repairData(false, MigrationListener.NONE, new Backfiller()).actions()).isEmpty();
    }

    @Test
    void repairAcceptsAFixedFileWithTheSameKey() {
        BackfillFixture f = failingAt1200();
        // the fix is in the file: skip what the guard refuses
        f.data("1_touch.sql", DIRECTIVE + BackfillIT.TOUCH.replace(";\n", " AND id < 1200;\n"));
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .hasMessageContaining("failed in an earlier run");
        RepairResult r = f.runway().repairData(false, MigrationListener.NONE, new Backfiller());
        assertThat(r.actions()).singleElement().asString().contains(", accept the edited file; the next 'runway data migrate'"
                + " resumes after it");
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(f.number("SELECT count(*) FROM t WHERE id < 1200"));
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
    }

    @Test
    void repairRefusesAFileWhoseKeyNoLongerMatchesTheCheckpointAndChangesNothing() {
        BackfillFixture f = failingAt1200();
        f.exec("ALTER TABLE t DISABLE TRIGGER t_guard; UPDATE t SET v = id; CREATE UNIQUE INDEX t_v ON t (v)");
        f.data("1_touch.sql", DIRECTIVE.replace("key=id", "key=v") + "-- runway:up\nUPDATE t SET touched = touched + 1"
                + " WHERE v >= :lo AND v < :hi;\n");
        assertThatThrownBy(() -> f.runway().repairData(false, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTEGRITY))
                .hasMessage("1_touch.sql: its checkpoint walks [id], the file's key is [v]; a started backfill cannot change its key"
                        + " (ship the change as a new data migration)");
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).isEqualTo("failed");
    }
}
