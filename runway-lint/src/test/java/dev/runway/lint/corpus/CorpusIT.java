package dev.runway.lint.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import dev.runway.lint.CheckOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The full check (static rules + trace + round trip on a lab server) over the labelled corpus:
 * precision and recall for "unsafe" must both reach 0.95, per file and per rule. Writes the scores
 * (and squawk's, when the squawk binary is available) to target/corpus-scores.md. The scratch
 * databases live on the shared lab server of the test run.
 */
class CorpusIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @Test
    void fullCheckScoresOnTheCorpus() throws IOException {
        List<CorpusCase> cases = CorpusCase.load();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
        long t0 = System.nanoTime();
        Map<String, Set<String>> full = CorpusRun.run(cases, new CheckOptions(true, true, LAB.lab().primary().url("postgres"), null, null, false));
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        Scores s = CorpusRun.score(cases, full);
        Map<String, Set<String>> stat = CorpusRun.run(cases, CheckOptions.staticOnly());
        Scores st = CorpusRun.score(cases, stat);
        System.out.println("full check (" + fullMs + " ms): " + s.summary());
        s.misses.forEach(m -> System.out.println("  " + m));
        System.out.println("static only: " + st.summary());
        Scores held = CorpusRun.score(cases.stream().filter(CorpusCase::heldOut).toList(), full);
        String report = CorpusReport.render(cases, s, st, held, Squawk.score(cases));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/corpus-scores.md"), report);
        System.out.println(report);
        assertThat(s.precision()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.recall()).isGreaterThanOrEqualTo(0.95);
        for (Map.Entry<String, int[]> e : s.perRule.entrySet()) {
            assertThat(e.getValue()[2]).as("missed findings of " + e.getKey()).isZero();
        }
    }
}
