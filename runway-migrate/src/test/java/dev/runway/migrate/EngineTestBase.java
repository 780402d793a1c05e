package dev.runway.migrate;

import dev.runway.core.Backoff;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import dev.runway.migrate.lock.MigrationLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Engine ITs: one shared lab primary, a fresh database and migrations directory per test. */
abstract class EngineTestBase {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    Path tmp;
    DatabaseUrl url;
    MigrationFiles files;

    @BeforeEach
    void freshDatabase() {
        // "m_" keeps these apart from the per-class database LabExtension names after the class
        url = TestDatabase.create(LAB.lab(), "m_" + getClass().getSimpleName().toLowerCase()).url();
        files = new MigrationFiles(tmp.resolve("migrations"));
    }

    Connection connect() {
        return LAB.lab().primary().connect(url.database());
    }

    /** The migration lock on {@code c}, waiting up to 2 s; {@code where} names the address in a pooling refusal. */
    static MigrationLock takeLock(Connection c, long key, String where) {
        return MigrationLock.acquire(c, key, Duration.ofSeconds(2), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), new Random(1)), (h, w) -> { }, where);
    }
}
