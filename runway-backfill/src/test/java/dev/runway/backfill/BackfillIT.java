package dev.runway.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.dir.Migration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backfills through the Java API against a real primary: exactly once, resumable, adaptive. */
class BackfillIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;

    static final String TOUCH = "-- runway:up\nUPDATE t SET v = id * 2, touched = touched + 1 WHERE id >= :lo AND id < :hi;\n";

    /** Records every progress event. */
    static class Events implements MigrationListener {
        final List<BackfillProgress> progress = new CopyOnWriteArrayList<>();
        final List<String> waits = new CopyOnWriteArrayList<>();

        @Override
        public void backfillProgress(Migration m, BackfillProgress p) {
            progress.add(p);
        }

        @Override
        public void backfillWaiting(Migration m, String reason, java.time.Duration waited) {
            waits.add(reason);
        }
    }

    @Test
    void hundredThousandRowsInBatchesEachRowExactlyOnce() {
        int rows = 100_000 * Integer.getInteger("runway.it.scale", 1);
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(rows)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=5000 target=0 max-lag=0\n" + TOUCH);
        Events events = new Events();
        MigrateResult r = f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());

        assertThat(r.done()).hasSize(1);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1 AND v = id * 2")).isEqualTo(rows);
        assertThat(f.number("SELECT max(touched) FROM t")).as("no row processed twice").isEqualTo(1);
        assertThat(events.progress).hasSize(rows / 5000);
        assertThat(events.progress.get(events.progress.size() - 1).done()).isTrue();
        assertThat(events.progress.get(events.progress.size() - 1).rows()).isEqualTo(rows);
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data' AND version = '1'")).isEqualTo("applied");
        assertThat(f.text("SELECT batches || ' ' || rows || ' ' || done FROM runway_schema_history_backfill"))
                .isEqualTo(rows / 5000 + " " + rows + " true");
        // a second run has nothing to do
        assertThat(f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()).done()).isEmpty();
    }

    @Test
    void stoppedBetweenBatchesThenResumedFromTheCheckpoint() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(20_000)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=1000 target=0 max-lag=0\n" + TOUCH);
        Runway runway = f.runway();
        Events events = new Events() {
            @Override
            public void backfillProgress(Migration m, BackfillProgress p) {
                super.backfillProgress(m, p);
                if (p.batches() == 5) {
                    runway.cancel(); // what Ctrl-C does
                }
            }
        };
        assertThatThrownBy(() -> runway.migrateData(MigrateOptions.ALL, events, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY))
                .hasMessageContaining("backfill stopped on request");
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(5000);
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).isEqualTo("running");
        assertThat(runway.statusData().migrations().get(0).state().name()).isEqualTo("PARTIAL");

        Events second = new Events();
        f.runway().migrateData(MigrateOptions.ALL, second, new Backfiller());
        assertThat(second.progress.get(0).batches()).as("resumed after batch 5").isEqualTo(6);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(20_000);
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
        assertThat(f.text("SELECT status FROM runway_schema_history WHERE kind = 'data'")).isEqualTo("applied");
    }

    @Test
    void batchSizeGrowsTowardsTheTargetWhenBatchesAreFast() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(30_000)
                .data("1_touch.sql", "-- runway:backfill table=t key=id batch=100 target=500ms max-batch=20000 max-lag=0\n" + TOUCH);
        Events events = new Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        List<Integer> sizes = events.progress.stream().map(BackfillProgress::batchSize).toList();
        assertThat(sizes.get(0)).isEqualTo(200); // a 100-row batch takes far less than 500ms: doubled (the step is at most x2)
        assertThat(sizes.stream().mapToInt(Integer::intValue).max().getAsInt()).isGreaterThanOrEqualTo(3200).isLessThanOrEqualTo(20_000);
        assertThat(f.number("SELECT max(touched) FROM t")).isEqualTo(1);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(30_000);
    }

    @Test
    void batchSizeShrinksTowardsTheTargetWhenBatchesAreSlow() {
        // each row costs ~0.2 ms: a 2000-row batch takes ~400 ms, far over the 40 ms target
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(4000)
                .data("1_slow.sql", "-- runway:backfill table=t key=id batch=2000 min-batch=50 target=40ms max-lag=0\n"
                        + "-- runway:up\nUPDATE t SET touched = touched + 1 WHERE id >= :lo AND id < :hi"
                        + " AND pg_sleep(0.0002)::text = '';\n");
        Events events = new Events();
        f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller());
        List<Integer> sizes = events.progress.stream().map(BackfillProgress::batchSize).toList();
        assertThat(sizes.get(0)).isEqualTo(1000); // halved: the step is at most x0.5
        assertThat(sizes.stream().mapToInt(Integer::intValue).min().getAsInt()).isLessThan(500).isGreaterThanOrEqualTo(50);
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(4000);
    }

    @Test
    void aFirstBatchThatFailsLeavesNothingSoAFixedFileRuns() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(100)
                .data("1_bad.sql", "-- runway:backfill table=t key=id max-lag=0\n-- runway:up\n"
                        + "UPDATE t SET touched = 1 / 0 WHERE id >= :lo AND id < :hi;\n");
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller()))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MIGRATION_FAILED))
                .hasMessageContaining("division by zero").hasMessageContaining("nothing of the backfill remains");
        assertThat(f.number("SELECT count(*) FROM runway_schema_history")).isZero();
        f.data("1_bad.sql", "-- runway:backfill table=t key=id max-lag=0\n" + TOUCH);
        f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE, new Backfiller());
        assertThat(f.number("SELECT count(*) FROM t WHERE touched = 1")).isEqualTo(100);
    }

    @Test
    void emptyTableFinishesInOneBatch() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(0)
                .data("1_touch.sql", "-- runway:backfill table=t key=id\n" + TOUCH);
        Events events = new Events();
        assertThat(f.runway().migrateData(MigrateOptions.ALL, events, new Backfiller()).done()).hasSize(1);
        assertThat(events.progress).hasSize(1);
        assertThat(events.progress.get(0).done()).isTrue();
    }

    @Test
    void withoutARunnerABackfillIsRefusedAndNothingChanges() {
        BackfillFixture f = new BackfillFixture(LAB.lab(), tmp).table(10).data("1_touch.sql", "-- runway:backfill table=t key=id\n" + TOUCH);
        assertThatThrownBy(() -> f.runway().migrateData(MigrateOptions.ALL, MigrationListener.NONE))
                .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageStartingWith("1_touch.sql:1: this caller runs no backfills");
        assertThat(f.number("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'runway%'")).isZero();
    }
}
