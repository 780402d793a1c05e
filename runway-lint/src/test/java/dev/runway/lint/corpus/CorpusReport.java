package dev.runway.lint.corpus;

import java.util.List;

/** The markdown written to target/corpus-scores.md (and copied into docs/check.md). */
final class CorpusReport {
    private CorpusReport() {
    }

    static String render(List<CorpusCase> cases, Scores full, Scores stat, Scores heldOut, Squawk.Result squawk) {
        long unsafe = cases.stream().filter(c -> !c.expected().isEmpty()).count();
        StringBuilder b = new StringBuilder();
        b.append("Corpus: ").append(cases.size()).append(" labelled migrations (").append(unsafe).append(" unsafe, ")
                .append(cases.size() - unsafe).append(" safe), runway-lint/src/test/resources/corpus/.\n")
                .append("A file is predicted unsafe when the tool reports anything (Runway: error or warning).\n")
                .append("Files marked `corpus-note: held-out` were written after the rules and scored before any rule change.\n\n")
                .append("| tool | files | TP | FP | FN | TN | precision | recall |\n|---|---|---|---|---|---|---|---|\n");
        row(b, "runway check (static + trace + round trip)", full);
        row(b, "runway check --static (the release gate)", stat);
        List<CorpusCase> held = cases.stream().filter(CorpusCase::heldOut).toList();
        if (!held.isEmpty()) {
            row(b, "runway check, held-out files only (" + held.size() + ")", heldOut);
        }
        if (squawk != null) {
            row(b, squawk.version() + ", default rules", squawk.defaults());
            row(b, squawk.version() + ", without timeout and style rules", squawk.structural());
        } else {
            b.append("| squawk | not installed (npm install squawk-cli into runway-lint/target/squawk) | | | | | | |\n");
        }
        b.append("\nRunway per rule (full check; a finding counts when its rule id matches the label):\n\n").append(full.ruleTable());
        if (!full.misses.isEmpty()) {
            b.append("\nFull-check misses:\n\n");
            full.misses.forEach(m -> b.append("- ").append(m).append('\n'));
        }
        b.append("\nStatic gate misses (what only the trace sees):\n\n");
        stat.misses.forEach(m -> b.append("- ").append(m).append('\n'));
        if (squawk != null) {
            b.append("\nsquawk (default rules) misses:\n\n");
            squawk.defaults().misses.forEach(m -> b.append("- ").append(m).append('\n'));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String tool, Scores s) {
        b.append("| ").append(tool).append(" | ").append(s.tp + s.fp + s.fn + s.tn).append(" | ").append(s.tp).append(" | ").append(s.fp)
                .append(" | ").append(s.fn).append(" | ").append(s.tn).append(" | ").append(Scores.f(s.precision())).append(" | ")
                .append(Scores.f(s.recall())).append(" |\n");
    }
}
