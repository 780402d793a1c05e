package dev.runway.lint.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lint.CheckedMigration;
import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.StaticGate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The static gate alone (what {@code release} runs) over the labelled corpus, no database. Files whose
 * labels only the trace can produce (function bodies, failures and round trips on a real server) are
 * left out; on the rest it must be as precise as the full check, rule by rule.
 */
class StaticCorpusTest {
    private static final Set<String> TRACE_ONLY = Set.of("RW130", "RW131", "RW400", "RW401", "RW402", "RW403");

    @Test
    void staticGateScoresOnTheCorpus() {
        CheckedMigration base = CorpusCase.base();
        Scores s = new Scores();
        int skipped = 0;
        for (CorpusCase c : CorpusCase.load()) {
            Set<String> exp = new TreeSet<>(c.expected());
            exp.removeAll(TRACE_ONLY);
            if (c.dynamicOnly() || exp.isEmpty() && !c.expected().isEmpty()) {
                skipped++;
                continue;
            }
            LintConfig cfg = LintConfig.builder().mode(c.mode()).build();
            List<Finding> fs = StaticGate.checkAll(List.of(base), List.of(c.migration()), cfg);
            Set<String> got = new TreeSet<>();
            fs.forEach(f -> got.add(f.rule()));
            s.add(c.name(), exp, got);
        }
        System.out.println("static gate (" + skipped + " trace-only files left out): " + s.summary());
        s.misses.forEach(m -> System.out.println("  " + m));
        assertThat(s.precision()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.misses).isEmpty();
    }
}
