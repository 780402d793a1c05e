package dev.runway.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollback never surprises: only an applied version (or 0) as target, never more steps than applied, nothing changed otherwise. */
class RollbackIT extends EngineTestBase {
    Runway runway() {
        return Runway.create(RunwayConfig.builder().url(url).dir(files.dir).build());
    }

    @BeforeEach
    void threeApplied() {
        files.add("20250301120000", "a", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);", "DROP TABLE a;")
                .add("20250302120000", "b", "CREATE TABLE b (id int);", "DROP TABLE b;")
                .add("20250303120000", "c", "CREATE TABLE c (id int);", "DROP TABLE c;");
        runway().migrate();
    }

    @Test
    void aMistypedVersionRevertsNothingAndNamesTheNearestAppliedOnes() throws Exception {
        List<String> before = schema();
        // 13 digits: numerically below every applied 14-digit version, so "everything newer" would be all of them
        assertThatThrownBy(() -> rollback("2025030212000", 0, false)).isInstanceOf(RunwayException.class)
                .hasMessageContaining("--to 2025030212000: not an applied version")
                .hasMessageContaining("the nearest applied version is 20250301120000 (newer)").satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> rollback("20250302000000", 0, false))
                .hasMessageContaining("20250301120000 (older) and 20250302120000 (newer)")
                .hasMessageContaining("nothing was rolled back").satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.USAGE));
        assertThatThrownBy(() -> rollback("20250309000000", 0, true)).hasMessageContaining("the nearest applied version is 20250303120000 (older)");
        assertThat(schema()).isEqualTo(before);
    }

    @Test
    void moreStepsThanAppliedIsRefused() throws Exception {
        List<String> before = schema();
        assertThatThrownBy(() -> rollback(null, 4, false)).hasMessageContaining("--step 4: only 3 migrations are applied")
                .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.USAGE));
        assertThat(schema()).isEqualTo(before);
        assertThat(rollback(null, 3, true).done()).hasSize(3);
        assertThat(schema()).isEqualTo(before);
    }

    @Test
    void anAppliedVersionOrZeroIsAccepted() throws Exception {
        assertThat(rollback("20250302120000", 0, false).done()).extracting(m -> m.version().text()).containsExactly("20250303120000");
        assertThat(rollback("0", 0, false).done()).extracting(m -> m.version().text())
                .containsExactly("20250302120000", "20250301120000");
        try (Connection c = connect()) {
            assertThat(Db.count(c, "SELECT count(*) FROM runway_schema_history")).isZero();
        }
    }

    @Test
    void dryRunPlansWithDownStatements() throws Exception {
        List<String> before = schema();
        MigrateResult r = rollback("20250301120000", 0, true);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.done()).extracting(m -> m.down().get(0).sql().strip()).containsExactly("DROP TABLE c", "DROP TABLE b");
        assertThat(schema()).isEqualTo(before);
    }

    private MigrateResult rollback(String to, int steps, boolean dryRun) {
        return runway().rollback(new MigrateOptions(to == null ? null : MigrationVersion.parse(to), steps, dryRun),
                MigrationListener.NONE);
    }

    private List<String> schema() throws Exception {
        try (Connection c = connect()) {
            return Db.schema(c);
        }
    }

    private static ErrorCode code(Throwable e) {
        return ((RunwayException) e).code();
    }
}
