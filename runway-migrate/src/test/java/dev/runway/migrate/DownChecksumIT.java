package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.dir.internal.Checksums;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The applied checksum covers the up section; the down's is recorded apart. Adding or fixing a down after
 * the migration was applied is reported by status and never fails a later deploy; changing the up still does.
 * History rows an earlier Runway wrote (one whole-migration checksum) keep working and get both.
 */
class DownChecksumIT extends EngineTestBase {

    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).lockWait(Duration.ofSeconds(5)).build());
    }

    MigrationState state(String version) {
        return runway().status().migrations().stream().filter(s -> s.version().text().equals(version)).findFirst()
                .orElseThrow().state();
    }

    @Test
    void aFlywayUndoFileAddedAfterTheMigrationIsInformationNotAnError() throws Exception {
        files.raw("V1__t.sql", "CREATE TABLE t (id int);\n");
        runway().migrate();
        files.raw("U1__t.sql", "DROP TABLE t;\n");
        assertThat(state("1")).isEqualTo(MigrationState.DOWN_CHANGED);
        files.raw("V2__u.sql", "CREATE TABLE u (id int);\n").raw("U2__u.sql", "DROP TABLE u;\n");
        assertThat(runway().migrate().done()).hasSize(1);
        runway().rollback(new MigrateOptions(MigrationVersion.parse("0"), 0, false), MigrationListener.NONE);
        try (Connection c = connect()) {
            assertThat(Db.exists(c, "t")).as("the undo file added later ran").isFalse();
        }
    }

    @Test
    void aFixedDownSectionIsInformationAChangedUpIsAnIntegrityError() throws Exception {
        files.add("1", "t", "CREATE TABLE t (id int);", "DROP TABLE tt;");
        runway().migrate();
        files.add("1", "t", "CREATE TABLE t (id int);", "DROP TABLE t;");
        assertThat(state("1")).isEqualTo(MigrationState.DOWN_CHANGED);
        runway().migrate();
        files.add("1", "t", "CREATE TABLE t (id bigint);", "DROP TABLE t;");
        assertThatThrownBy(() -> runway().migrate()).isInstanceOf(RunwayException.class)
                .hasMessageContaining("1_t.sql: its up section changed after it was applied")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.INTEGRITY);
    }

    /** A history table as Runway created it before up and down were recorded apart, with one row. */
    void legacyHistory(String version, String checksum) throws Exception {
        try (Connection c = connect()) {
            Db.exec(c, "CREATE TABLE runway_schema_history (version text NOT NULL, kind text NOT NULL CHECK (kind IN ('schema', 'data')),"
                    + " name text NOT NULL, checksum text NOT NULL, status text NOT NULL CHECK (status IN ('applied', 'failed',"
                    + " 'running', 'baseline')), statements_done integer NOT NULL DEFAULT 0, statements_total integer NOT NULL"
                    + " DEFAULT 0, error text, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint NOT NULL DEFAULT 0,"
                    + " applied_by text, runway_version text, PRIMARY KEY (kind, version));"
                    + " INSERT INTO runway_schema_history (version, kind, name, checksum, status) VALUES ('" + version + "', 'schema',"
                    + " 't', '" + checksum + "', 'applied'); CREATE TABLE t (id int)");
        }
    }

    static String whole(String text) {
        return Checksums.migration(text.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void rowsOfAnEarlierRunwayAreVerifiedAndGetUpAndDownChecksums() throws Exception {
        String file = "-- runway:up\nCREATE TABLE t (id int);\n\n-- runway:down\nDROP TABLE t;\n";
        legacyHistory("1", whole(file));
        files.raw("1_t.sql", file).raw("2_u.sql", "-- runway:up\nCREATE TABLE u (id int);\n");
        assertThat(state("1")).isEqualTo(MigrationState.APPLIED);
        assertThat(runway().migrate().done()).hasSize(1);
        try (Connection c = connect()) {
            assertThat(Db.strings(c, "SELECT version || ' ' || (up_checksum IS NOT NULL) || ' ' || (down_checksum IS NOT NULL)"
                    + " FROM runway_schema_history ORDER BY version")).containsExactly("1 true true", "2 true false");
        }
        files.raw("1_t.sql", file.replace("DROP TABLE t;", "DROP TABLE IF EXISTS t;"));
        assertThat(state("1")).as("after the upgrade a fixed down is information").isEqualTo(MigrationState.DOWN_CHANGED);
        assertThat(runway().migrate().done()).isEmpty();
    }

    @Test
    void anEarlierRowOfAMigrationWithoutDownAcceptsAnAddedDownFile() throws Exception {
        legacyHistory("1", whole("CREATE TABLE t (id int);\n"));
        files.raw("1_t.up.sql", "CREATE TABLE t (id int);\n").raw("1_t.down.sql", "DROP TABLE t;\n");
        assertThat(state("1")).isEqualTo(MigrationState.DOWN_CHANGED);
        runway().migrate();
        assertThat(state("1")).as("the row says it was applied without a down").isEqualTo(MigrationState.DOWN_CHANGED);
    }

    @Test
    void anEarlierRowWhoseDownSectionChangedNamesTheWayOut() throws Exception {
        String file = "-- runway:up\nCREATE TABLE t (id int);\n\n-- runway:down\nDROP TABLE t;\n";
        legacyHistory("1", whole(file));
        files.raw("1_t.sql", file.replace("DROP TABLE t;", "DROP TABLE IF EXISTS t;"));
        assertThatThrownBy(() -> runway().migrate()).isInstanceOf(RunwayException.class)
                .hasMessageContaining("recorded by an earlier Runway as one checksum of up and down")
                .hasMessageContaining("restore the old down, run 'runway migrate' once")
                .extracting(e -> ((RunwayException) e).code()).isEqualTo(ErrorCode.INTEGRITY);
    }
}
