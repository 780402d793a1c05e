package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The judgement against the target, rule by rule: what a size can excuse, what only a new table can, what nothing can. */
class TargetGateTest {
    static final long MB = 1024 * 1024;
    static final TargetTables TARGET = new TargetTables(Map.of(
            "orders", new TableSize("orders", 40 * MB, 48 * MB, 1_000_000),
            "feature_flags", new TableSize("feature_flags", 8192, 16384, 100)), Set.of("t_1"));

    static Finding finding(String rule, String table) {
        return new Finding(rule, Severity.ERROR, "1_x.sql", 2, "message", null, table, null, "safe");
    }

    static Finding judged(String rule, String table, long smallTable) {
        List<Finding> out = TargetGate.judge(List.of(finding(rule, table)), TARGET, smallTable);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void lockAndRewriteFindingsPassOnNewAndSmallTablesAndBlockOnBigOnes() {
        assertThat(judged("RW101", "t_1", 10 * MB)).extracting(Finding::severity, Finding::impact)
                .containsExactly(Severity.INFO, "passes: t_1: created in this release");
        assertThat(judged("RW122", "ghost", 10 * MB).impact()).isEqualTo("passes: ghost: not in the database before this release");
        assertThat(judged("RW101", "feature_flags", 10 * MB)).extracting(Finding::severity, Finding::impact)
                .containsExactly(Severity.INFO, "passes: feature_flags: 16 kB, below gate.small-table 10 MB");
        assertThat(judged("RW112", "orders", 10 * MB)).extracting(Finding::severity, Finding::impact)
                .containsExactly(Severity.ERROR, "orders, 48 MB, ~1,000,000 rows");
        // the threshold itself blocks; 0 makes every existing table count
        assertThat(judged("RW101", "orders", 48 * MB).severity()).isEqualTo(Severity.ERROR);
        assertThat(judged("RW101", "orders", 48 * MB + 1).severity()).isEqualTo(Severity.INFO);
        assertThat(judged("RW101", "feature_flags", 0).severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void whatASmallTableDoesNotMakeSafePassesOnlyForANewTable() {
        for (String rule : List.of("RW108", "RW120", "RW201", "RW202", "RW203", "RW204")) {
            assertThat(judged(rule, "feature_flags", 10 * MB).severity()).as(rule).isEqualTo(Severity.ERROR);
            assertThat(judged(rule, "t_1", 10 * MB).severity()).as(rule).isEqualTo(Severity.INFO);
        }
    }

    @Test
    void findingsNoTargetCanDecideStayAsTheyAre() {
        assertThat(judged("RW103", "t_1", 10 * MB).severity()).isEqualTo(Severity.ERROR);
        assertThat(judged("RW101", null, 10 * MB).severity()).isEqualTo(Severity.ERROR);
        assertThat(judged("RW302", "t_1", 10 * MB).severity()).isEqualTo(Severity.ERROR);
        assertThat(judged("RW400", "t_1", 10 * MB).severity()).isEqualTo(Severity.ERROR);
        Finding warning = new Finding("RW102", Severity.WARNING, "1_x.sql", 2, "m", null, null, null, "s");
        assertThat(TargetGate.judge(List.of(warning), TARGET, 10 * MB)).containsExactly(warning);
    }

    @Test
    void onlyTablesOfJudgeableFindingsAreMeasured() {
        TargetGate.Pending p = new TargetGate.Pending(List.of(finding("RW101", "orders"), finding("RW103", "x"),
                finding("RW201", "users"), finding("RW101", null)), Set.of());
        assertThat(p.tablesToMeasure()).containsExactly("orders", "users");
        assertThat(new TargetGate.Pending(List.of(), Set.of()).tablesToMeasure()).isEmpty();
    }
}
