package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.Pooling;
import dev.runway.lab.PgBouncer;
import dev.runway.lab.PoolMode;
import dev.runway.migrate.lock.MigrationLock;
import dev.runway.migrate.lock.TransactionPoolingException;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The migration lock behind Debian's PgBouncer in transaction pooling, where one server session serves
 * several clients: the lock refuses a server session that already holds it for another client, the
 * check that guards every migration refuses a statement that landed on another server session, the
 * unlock lands on the session that holds the lock, and the engine refuses before taking it at all.
 */
class PoolerLockIT extends EngineTestBase {
    MigrationLock take(Connection c, long key) {
        return takeLock(c, key, "pooled");
    }

    @Test
    void theLockIsBoundToTheServerSessionThatTookIt() throws Exception {
        PgBouncer tx = LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.TRANSACTION);
        long key = MigrationLock.key(url.database(), "public", "runway_schema_history");
        try (Connection a = tx.connect(url.database()); Connection b = tx.connect(url.database())) {
            MigrationLock lock = take(a, key);
            int holder = lock.serverPid();
            // PgBouncer hands the server session A just used to the next client: B lands on it
            assertThat(Pooling.backendPid(b)).isEqualTo(holder);
            assertThatThrownBy(() -> take(b, key)).isInstanceOf(TransactionPoolingException.class)
                    .hasMessageContaining("already holds the migration lock").hasMessageContaining("Nothing was changed")
                    .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE);
            lock.verifyHeld();
            // B keeps that server session in a transaction: A's next statement has to run on another one
            b.setAutoCommit(false);
            assertThat(Pooling.backendPid(b)).isEqualTo(holder);
            assertThatThrownBy(lock::verifyHeld).isInstanceOf(TransactionPoolingException.class)
                    .hasMessageContaining("the lock was taken on server session " + holder);
            b.commit();
            lock.close();
        }
        try (Connection direct = connect()) {
            assertThat(Db.count(direct, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).as("nothing left behind")
                    .isZero();
        }
    }

    @Test
    void theEngineRefusesTransactionPoolingBeforeTheLockAndWorksThroughSessionPooling() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null);
        for (PoolMode mode : new PoolMode[] {PoolMode.TRANSACTION, PoolMode.SESSION}) {
            PgBouncer b = LAB.lab().pgbouncer(LAB.lab().primary(), mode);
            DatabaseUrl pooled = url.withHostPort(b.host(), b.port());
            Runway runway = Runway.create(RunwayConfig.builder().url(pooled).dir(files.dir).build());
            if (mode == PoolMode.TRANSACTION) {
                assertThatThrownBy(runway::migrate).isInstanceOf(TransactionPoolingException.class)
                        .hasMessageStartingWith(pooled + " goes through a transaction-pooling proxy").hasMessageContaining("RUNWAY_MIGRATE_URL");
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    assertThat(Db.exists(c, "runway_schema_history")).isFalse();
                    assertThat(Db.count(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
                }
            } else {
                assertThat(runway.migrate().done()).hasSize(1);
            }
        }
        try (Connection c = PgSession.connect(url, "check")) {
            assertThat(Db.exists(c, "a")).isTrue();
        }
    }
}
