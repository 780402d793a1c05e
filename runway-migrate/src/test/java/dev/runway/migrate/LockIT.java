package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.lock.LockHolder;
import dev.runway.migrate.lock.LockWaitTimeoutException;
import dev.runway.migrate.lock.MigrationLock;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The migration lock: waiting, reporting the holder, timing out, no deadlock with CONCURRENTLY. */
class LockIT extends EngineTestBase {


    Runway runway(Duration lockWait, String app) {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(lockWait).applicationName(app).build());
    }

    @Test
    void lockWaitTimesOutNamingTheHolderAndChangesNothing() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        long key = MigrationLock.key(url.database(), "public", "runway_schema_history");
        try (Connection holder = LAB.lab().primary().connect(url.database())) {
            Db.exec(holder, "SET application_name = 'deploy-machine-7'; SELECT pg_advisory_lock(" + key + ")");
            List<LockHolder> seen = new ArrayList<>();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> runway(Duration.ofMillis(1200), "runway test").migrate(MigrateOptions.ALL, new MigrationListener() {
                @Override
                public void lockWaiting(LockHolder h, Duration waited) {
                    seen.add(h);
                }
            })).isInstanceOf(LockWaitTimeoutException.class)
                    .hasMessageContaining("deploy-machine-7").hasMessageContaining("1200ms")
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1100), Duration.ofSeconds(5));
            assertThat(seen).isNotEmpty().allMatch(h -> h != null && "deploy-machine-7".equals(h.applicationName()));
        }
        try (Connection c = LAB.lab().primary().connect(url.database())) {
            assertThat(Db.exists(c, "a")).isFalse();
            assertThat(Db.exists(c, "runway_schema_history")).isFalse();
        }
    }

    /**
     * The check after taking the lock travels with the history table's shape query (one round trip, every no-op pays
     * it); a session lost right after the lock is still reported as that check's failure: exit 75, run again.
     */
    @Test
    void aSessionLostRightAfterTakingTheLockIsReportedByTheLockCheck() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        runway(Duration.ofSeconds(5), "runway test").migrate();
        assertThatThrownBy(() -> runway(Duration.ofSeconds(5), "runway lost").migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void lockAcquired(Duration waited) {
                try (Connection admin = connect()) {
                    Db.exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'runway lost'");
                    while (!Db.strings(admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runway lost'")
                            .equals(List.of("0"))) {
                        Thread.sleep(10);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        })).isInstanceOf(RunwayException.class)
                .hasMessageContaining("lost the database connection while checking the migration lock")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY);
    }

    @Test
    void concurrentRunsApplyEachMigrationExactlyOnce() throws Exception {
        for (int i = 1; i <= 40; i++) {
            files.add(String.valueOf(i), "m" + i, "CREATE TABLE t" + i + " (id int);\nINSERT INTO log VALUES (" + i + ");", null);
        }
        files.add("0", "log", "CREATE TABLE log (v int);", null);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<MigrateResult>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                runs.add(pool.submit(() -> runway(Duration.ofSeconds(60), "runway " + n).migrate()));
            }
            int applied = 0;
            for (Future<MigrateResult> f : runs) {
                applied += f.get(120, TimeUnit.SECONDS).done().size();
            }
            assertThat(applied).isEqualTo(41);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = LAB.lab().primary().connect(url.database())) {
            assertThat(Db.count(c, "SELECT count(*) FROM log")).isEqualTo(40);
            assertThat(Db.count(c, "SELECT count(DISTINCT v) FROM log")).isEqualTo(40);
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isEqualTo(41);
        }
    }

    @Test
    void aWaitingReleaseDoesNotDeadlockCreateIndexConcurrently() throws Exception {
        files.add("1", "t", "CREATE TABLE t (x int);\nINSERT INTO t SELECT g FROM generate_series(1, 1000) g;", null)
                .add("2", "idx", "CREATE INDEX CONCURRENTLY t_x ON t (x);", null);
        runway(Duration.ofSeconds(5), "first").migrate(new MigrateOptions(null, 1, false), MigrationListener.NONE);
        // While A builds the index (which waits for every open transaction), B waits for the lock.
        // A blocking pg_advisory_lock in B would be such a transaction: A would wait for B forever.
        long key = MigrationLock.key(url.database(), "public", "runway_schema_history");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection gate = LAB.lab().primary().connect(url.database())) {
            // hold the lock briefly so that both runs queue up, then let go
            Db.exec(gate, "SELECT pg_advisory_lock(" + key + ")");
            Future<MigrateResult> a = pool.submit(() -> runway(Duration.ofSeconds(30), "A").migrate());
            Future<MigrateResult> b = pool.submit(() -> runway(Duration.ofSeconds(30), "B").migrate());
            Thread.sleep(300);
            Db.exec(gate, "SELECT pg_advisory_unlock(" + key + ")");
            int done = a.get(20, TimeUnit.SECONDS).done().size() + b.get(20, TimeUnit.SECONDS).done().size();
            assertThat(done).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The lock is held at two levels, and the check gives one back and takes it again instead of reading pg_locks: the
     * lock is never free for another session, whether checked alone, in a transaction, or by the one-message guard; the
     * check notices when both levels are gone; closing gives both back.
     */
    @Test
    void theCheckKeepsTheLockAtTwoLevelsAndNeverFreesIt() throws Exception {
        long key = MigrationLock.key(url.database(), "public", "runway_schema_history");
        String take = "SELECT pg_try_advisory_lock(" + key + ")::int";
        try (Connection c = connect(); Connection other = connect()) {
            MigrationLock lock = takeLock(c, key, "the database");
            for (int i = 0; i < 3; i++) {
                lock.verifyHeld();
                assertThat(Db.count(c, lock.guardSql("7", "runway_mark"))).isEqualTo(7);
                assertThat(Db.count(other, take)).as("taken by another session").isZero();
            }
            // one level given back by hand: still held, and the check still passes
            Db.exec(c, "SELECT pg_advisory_unlock(" + key + ")");
            assertThat(Db.count(other, take)).isZero();
            // both gone: every form of the check refuses
            Db.exec(c, "SELECT pg_advisory_unlock(" + key + ")");
            assertThatThrownBy(lock::verifyHeld).isInstanceOf(RunwayException.class).hasMessageContaining("vanished");
            assertThat(Db.count(other, take)).as("free now").isEqualTo(1);
            assertThatThrownBy(() -> Db.count(c, lock.guardSql("7", "runway_mark"))).isInstanceOfSatisfying(
                    java.sql.SQLException.class, e -> assertThat(lock.guardFailure(e)).hasMessageContaining("vanished"));
            Db.exec(other, "SELECT pg_advisory_unlock(" + key + ")");
            // a fresh lock on the same session, closed while the session lives on: free for others at once
            MigrationLock again = takeLock(c, key, "the database");
            again.verifyHeld();
            assertThat(Db.count(other, take)).isZero();
            again.close();
            assertThat(Db.count(other, take)).as("both levels given back").isEqualTo(1);
        }
    }

    @Test
    void lockKeysDifferPerSchemaAndTable() {
        assertThat(MigrationLock.key("db", "public", "runway_schema_history"))
                .isNotEqualTo(MigrationLock.key("db", "other", "runway_schema_history"))
                .isNotEqualTo(MigrationLock.key("db", "public", "other"))
                .isNotEqualTo(MigrationLock.key("db2", "public", "runway_schema_history"));
    }
}
