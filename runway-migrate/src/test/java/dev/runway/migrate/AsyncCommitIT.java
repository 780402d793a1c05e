package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationVersion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every migration of a run but the last commits with synchronous_commit off when Runway opens its transaction (issue
 * #15), and whenever the run ends, what it committed is flushed: by the last migration's commit, or by a flush before
 * the error leaves the run. The WAL writer is slowed to 10 s on this class's own lab, so an unflushed commit stays
 * unflushed long enough to be seen.
 */
class AsyncCommitIT {
    @RegisterExtension
    static final LabExtension OWN = LabExtension.primary().exclusive();

    @TempDir
    Path tmp;
    DatabaseUrl url;
    MigrationFiles files;

    @BeforeEach
    void freshDatabase() {
        url = TestDatabase.create(OWN.lab(), "m_asynccommitit").url();
        files = new MigrationFiles(tmp.resolve("migrations"));
    }

    @BeforeEach
    void slowWalWriter() throws SQLException {
        setWalWriterDelay("'10s'");
    }

    @AfterEach
    void resetWalWriter() throws SQLException {
        setWalWriterDelay("DEFAULT");
    }

    private void setWalWriterDelay(String value) throws SQLException {
        try (Connection c = OWN.lab().primary().connect("postgres")) {
            Db.exec(c, "ALTER SYSTEM SET wal_writer_delay = " + value);
            Db.exec(c, "SELECT pg_reload_conf()");
        }
    }

    Connection connect() {
        return OWN.lab().primary().connect(url.database());
    }

    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5)).retries(1)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build());
    }

    /** Migration {@code v} records the synchronous_commit its transaction runs with. */
    String records(String v, String direction) {
        return "INSERT INTO seen VALUES ('" + direction + " " + v + "', current_setting('synchronous_commit'));";
    }

    void threeRecording() throws SQLException {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE seen (what text, sync text, at timestamptz DEFAULT clock_timestamp())");
        }
        for (String v : List.of("1", "2", "3")) {
            files.add(v, "m" + v, "CREATE TABLE t" + v + " (id int);\n" + records(v, "up"), records(v, "down") + "\nDROP TABLE t" + v + ";");
        }
    }

    List<String> seen() throws SQLException {
        try (Connection c = connect()) {
            return Db.strings(c, "SELECT what || ' ' || sync FROM seen ORDER BY at");
        }
    }

    /** The WAL position now, read on a side session. */
    String insertLsn() {
        try (Connection c = connect()) {
            return Db.strings(c, "SELECT pg_current_wal_insert_lsn()::text").get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean flushedTo(String lsn) throws SQLException {
        try (Connection c = connect()) {
            return Db.strings(c, "SELECT pg_current_wal_flush_lsn() >= '" + lsn + "'::pg_lsn").get(0).equals("t");
        }
    }

    @Test
    void allButTheLastCommitAsynchronouslyOneMessageEach() throws Exception {
        threeRecording();
        runway().migrate(MigrateOptions.ALL, MigrationListener.NONE);
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 on");
        runway().rollback(new MigrateOptions(MigrationVersion.parse("0"), 0, false), MigrationListener.NONE);
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 on", "down 3 off", "down 2 off", "down 1 on");
    }

    @Test
    void allButTheLastCommitAsynchronouslyStatementByStatement() throws Exception {
        threeRecording();
        MigrationListener live = new MigrationListener() {
            @Override
            public boolean liveStatements() {
                return true;
            }
        };
        runway().migrate(MigrateOptions.ALL, live);
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 on");
        runway().rollback(new MigrateOptions(MigrationVersion.parse("1"), 0, false), live);
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 on", "down 3 off", "down 2 on");
    }

    @Test
    void aSessionThatCommitsAsynchronouslyAnywayIsLeftSo() throws Exception {
        threeRecording();
        try (Connection c = connect()) {
            Db.exec(c, "ALTER DATABASE " + url.database() + " SET synchronous_commit = off");
        }
        runway().migrate(MigrateOptions.ALL, MigrationListener.NONE);
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 off");
    }

    @Test
    void aFileWithItsOwnBlockOrNoTransactionCommitsAsTheSessionSaysAndFlushesTheOnesBefore() throws Exception {
        threeRecording();
        files.add("4", "block", "BEGIN;\n" + records("4", "up") + "\nCOMMIT;", null);
        files.raw("5_none.sql", "-- runway:transaction none\n-- runway:up\n" + records("5", "up") + "\n");
        files.add("6", "m6", records("6", "up"), null);
        files.add("7", "block", "BEGIN;\n" + records("7", "up") + "\nCOMMIT;", null);
        String[] beforeLast = new String[1];
        runway().migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void migrationStarted(Migration m, Direction d, int attempt, int from) {
                if (m.version().text().equals("7")) {
                    beforeLast[0] = insertLsn(); // after 6 committed asynchronously
                }
            }
        });
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 off", "up 4 on", "up 5 on", "up 6 off", "up 7 on");
        assertThat(flushedTo(beforeLast[0])).as("the last migration's commit flushed the WAL before it").isTrue();
    }

    @Test
    void aNonTransactionalLastMigrationFlushesTheOnesBefore() throws Exception {
        threeRecording();
        files.raw("4_none.sql", "-- runway:transaction none\n-- runway:up\n" + records("4", "up") + "\n");
        String[] beforeLast = new String[1];
        runway().migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void migrationStarted(Migration m, Direction d, int attempt, int from) {
                if (m.version().text().equals("4")) {
                    beforeLast[0] = insertLsn(); // after 3 committed asynchronously
                }
            }
        });
        assertThat(seen()).containsExactly("up 1 off", "up 2 off", "up 3 off", "up 4 on");
        assertThat(flushedTo(beforeLast[0])).as("the last migration's commits flushed the WAL before it").isTrue();
    }

    @Test
    void aRunThatFailsAfterAsynchronousCommitsFlushesThemBeforeTheErrorLeavesIt() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null)
                .add("2", "b", "CREATE TABLE b (id int);", null)
                .add("3", "c", "CREATE TABLE c (id int);\nSELECT 1/0;", null);
        String[] afterTwo = new String[1];
        boolean[] unflushed = new boolean[1];
        MigrationListener watch = new MigrationListener() {
            @Override
            public void migrationFailed(Migration m, dev.runway.core.sql.SqlStatement s, String error) {
                afterTwo[0] = insertLsn(); // after 2's commit; the run has not ended yet
                try {
                    unflushed[0] = !flushedTo(afterTwo[0]);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        assertThatThrownBy(() -> runway().migrate(MigrateOptions.ALL, watch)).isInstanceOf(RunwayException.class)
                .hasMessageContaining("division by zero")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.MIGRATION_FAILED);
        assertThat(unflushed[0]).as("2 committed asynchronously (else this test proves nothing)").isTrue();
        assertThat(flushedTo(afterTwo[0])).as("flushed when the run ended").isTrue();
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version FROM runway_schema_history ORDER BY version")).containsExactly("1", "2");
        }
    }

    @Test
    void aRunStoppedBetweenMigrationsFlushesWhatItCommitted() throws Exception {
        files.add("1", "a", "CREATE TABLE a (id int);", null)
                .add("2", "b", "CREATE TABLE b (id int);", null)
                .add("3", "c", "CREATE TABLE c (id int);", null);
        Runway runway = runway();
        String[] afterTwo = new String[1];
        MigrationListener stopAfterTwo = new MigrationListener() {
            @Override
            public void migrationDone(Migration m, Direction d, Duration took) {
                if (m.version().text().equals("2")) {
                    afterTwo[0] = insertLsn();
                    runway.cancel();
                }
            }
        };
        assertThatThrownBy(() -> runway.migrate(MigrateOptions.ALL, stopAfterTwo)).isInstanceOf(MigrationInterruptedException.class);
        assertThat(flushedTo(afterTwo[0])).as("flushed when the run stopped").isTrue();
    }
}
