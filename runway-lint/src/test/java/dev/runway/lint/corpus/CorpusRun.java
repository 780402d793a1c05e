package dev.runway.lint.corpus;

import dev.runway.lint.Check;
import dev.runway.lint.CheckOptions;
import dev.runway.lint.CheckResult;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Mode;
import dev.runway.lint.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Runs {@code check} over the corpus (each file against the base schema) and scores it. */
final class CorpusRun {
    private CorpusRun() {
    }

    /** Rule ids found per corpus file name. */
    static Map<String, Set<String>> run(List<CorpusCase> cases, CheckOptions opt) {
        CheckedMigration base = CorpusCase.base();
        Map<String, Set<String>> got = new HashMap<>();
        for (Mode mode : Mode.values()) {
            List<CheckedMigration> ms = new ArrayList<>();
            for (CorpusCase c : cases) {
                if (c.mode() == mode) {
                    ms.add(c.migration());
                    got.put(c.name(), new TreeSet<>());
                }
            }
            if (ms.isEmpty()) {
                continue;
            }
            CheckResult r = Check.run(List.of(base), ms, LintConfig.builder().mode(mode).build(), opt.withIndependent(true));
            for (Finding f : r.findings()) {
                if (f.severity() != Severity.INFO) {
                    got.get(f.file().substring("corpus/".length())).add(f.rule());
                }
            }
        }
        return got;
    }

    static Scores score(List<CorpusCase> cases, Map<String, Set<String>> got) {
        Scores s = new Scores();
        for (CorpusCase c : cases) {
            s.add(c.name(), c.expected(), got.get(c.name()));
        }
        return s;
    }
}
