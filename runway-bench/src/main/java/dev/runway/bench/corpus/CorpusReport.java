package dev.runway.bench.corpus;

import java.util.List;
import java.util.Locale;

/** Renders results as the markdown table of docs/adoption.md ("Corpus results"). Stateless. */
final class CorpusReport {
    private CorpusReport() {
    }

    static String table(List<ProjectResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| project | commit | tool | migrations (with down) | psql up | Runway up = psql | psql down → up |"
                + " Runway down | Runway down → up = psql | configuration needed | what failed upstream / notes |\n");
        b.append("|---|---|---|---:|---|---|---|---|---|---|---|\n");
        for (ProjectResult r : results) {
            ProjectSpec s = r.spec();
            String where = s.repo() != null ? "[" + s.repo() + "](https://github.com/" + s.repo() + ") `" + s.path() + "`"
                    : "`" + s.dir() + "`";
            String psqlDown = r.refDown().state() == Step.State.NOT_APPLICABLE ? r.refDown().cell()
                    : (r.downFailure() == null ? "" : "all downs **no**: " + Cells.escape(r.downFailure(), 220) + " — then ")
                    + "down " + r.refDown().cell() + "; up again " + r.refReUp().cell() + " [" + r.downScope() + "]";
            b.append("| ").append(where)
                    .append(" | `").append(r.commit() == null ? "-" : r.commit().substring(0, Math.min(12, r.commit().length())))
                    .append("` | ").append(s.tool().key())
                    .append(" | ").append(r.migrations()).append(" (").append(r.downs()).append(")")
                    .append(" | ").append(r.refUp().cell())
                    .append(" | ").append(r.hash().isOk() ? r.rwUp().cell() : "`runway hash` " + r.hash().cell())
                    .append(" | ").append(psqlDown)
                    .append(" | ").append(r.rwDown().cell())
                    .append(" | ").append(r.rwReUp().cell())
                    .append(" | ").append(Cells.escape(s.configurationNeeded()))
                    .append(" | ").append(Cells.escape(notes(r)))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String notes(ProjectResult r) {
        StringBuilder n = new StringBuilder(r.spec().notes() == null ? "" : r.spec().notes().strip());
        if (!r.skipped().isEmpty()) {
            n.append(n.length() > 0 ? " " : "").append("Left out: ").append(r.skipped().size()).append(" file(s), e.g. ")
                    .append(r.skipped().get(0)).append('.');
        }
        if (!r.autocommitFallbacks().isEmpty()) {
            n.append(" psql ran ").append(r.autocommitFallbacks().size()).append(" up(s) outside a transaction (PostgreSQL refused")
                    .append(" them inside one), e.g. ").append(r.autocommitFallbacks().get(0)).append('.');
        }
        return n.toString().strip();
    }

    /** The per-project detail lines: timing, check output, skipped files. */
    static String details(List<ProjectResult> results) {
        StringBuilder b = new StringBuilder();
        for (ProjectResult r : results) {
            b.append(String.format(Locale.ROOT, "- **%s** (%.0f s): `runway check --static`: %s.", r.spec().name(), r.seconds(),
                    r.check()));
            if (!r.skipped().isEmpty()) {
                b.append(" Left out: ").append(String.join("; ", r.skipped().subList(0, Math.min(5, r.skipped().size()))))
                        .append(r.skipped().size() > 5 ? "; …" : "").append('.');
            }
            if (!r.autocommitFallbacks().isEmpty()) {
                b.append(" psql ran outside a transaction: ").append(String.join(", ", r.autocommitFallbacks())).append('.');
            }
            b.append('\n');
        }
        return b.toString();
    }
}
