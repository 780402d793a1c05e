package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.internal.source.SqlFiles;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scratch server started ahead of the files: a run takes it and gets the same findings, a start nobody takes
 * leaves no scratch database behind, and a failed start is met where the run would have met it.
 */
class ScratchStartIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    private static final DatabaseUrl NOWHERE = DatabaseUrl.parse("postgres://postgres@127.0.0.1:1/x", "test");
    private static final CheckedMigration BASE = SqlFiles.parse("-- runway:up\nCREATE TABLE t (id bigint PRIMARY KEY, a text);\n"
            + "-- runway:down\nDROP TABLE t;\n", "000_base.sql");
    private static final CheckedMigration CHECKED = SqlFiles.parse("-- runway:up\nCREATE INDEX t_a_idx ON t (a);\n"
            + "-- runway:down\nDROP INDEX t_a_idx;\nDROP INDEX t_a_idx;\n", "001_idx.sql");

    private static CheckOptions onLab() {
        return new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false);
    }

    private static int scratchDatabases() throws Exception {
        try (Connection c = DriverManager.getConnection(LAB.lab().primary().url("postgres").jdbcUrl(), "postgres", null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'runway\\_check\\_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aRunOnAStartedScratchFindsTheSameAndDropsIt() throws Exception {
        int before = scratchDatabases();
        CheckResult alone = Check.run(List.of(BASE), List.of(CHECKED), LintConfig.defaults(), onLab());
        CheckResult ahead;
        try (ScratchStart early = ScratchStart.begin(onLab())) {
            assertThat(early).isNotNull();
            ahead = Check.run(List.of(BASE), List.of(CHECKED), LintConfig.defaults(), onLab(), CheckProgress.NONE, early);
        }
        assertThat(ahead.findings()).extracting(Finding::rule, Finding::line, Finding::message)
                .containsExactlyElementsOf(alone.findings().stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.rule(), f.line(), f.message()))
                        .collect(java.util.stream.Collectors.toList()));
        assertThat(ahead.findings()).extracting(Finding::rule).contains("RW401");
        assertThat(ahead.pgMajor()).isEqualTo(alone.pgMajor());
        assertThat(scratchDatabases()).isEqualTo(before);
    }

    @Test
    void aStartNobodyTakesLeavesNoScratchDatabase() throws Exception {
        int before = scratchDatabases();
        try (ScratchStart early = ScratchStart.begin(onLab())) {
            assertThat(early.major()).isEqualTo(Integer.parseInt(LAB.lab().version().split("\\.")[0]));
        }
        assertThat(scratchDatabases()).isEqualTo(before);
        // nothing to trace: the run does not take it, and it is still cleaned up
        try (ScratchStart early = ScratchStart.begin(onLab())) {
            assertThat(Check.run(List.of(BASE), List.of(), LintConfig.defaults(), onLab(), CheckProgress.NONE, early).exitCode()).isZero();
        }
        assertThat(scratchDatabases()).isEqualTo(before);
    }

    @Test
    void anUnreachableServerFailsWhereTheRunMeetsItAndBadInputStillWins() {
        CheckOptions nowhere = new CheckOptions(true, true, NOWHERE, null, null, false);
        try (ScratchStart early = ScratchStart.begin(nowhere)) {
            assertThatThrownBy(() -> Check.run(List.of(), List.of(CHECKED), LintConfig.defaults(), nowhere, CheckProgress.NONE, early))
                    .isInstanceOfSatisfying(RunwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARY));
        }
        RunwayException bad = RunwayException.usage("1.sql:1: bad input");
        assertThatThrownBy(() -> {
            try (ScratchStart early = ScratchStart.begin(nowhere)) {
                throw bad;
            }
        }).isSameAs(bad).satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }

    @Test
    void nothingStartsAheadForStaticRulesOrAgainstATarget() {
        assertThat(ScratchStart.begin(CheckOptions.staticOnly())).isNull();
        assertThat(ScratchStart.begin(new CheckOptions(true, true, null, NOWHERE, null, false))).isNull();
    }
}
