package dev.runway.bench.corpus;

import java.util.ArrayList;
import java.util.List;

/**
 * The psql reference of one history, in a database {@code corpus_ref}: the ups in the runner's order
 * (dump), the downs of the longest tail in which every migration has one, newest first (whether they
 * return to the schema before them), and the ups of that tail again (the same schema?). When a down
 * fails under psql inside its transaction, the tail above it is compared instead. Stateless.
 */
final class ReferenceRun {
    private ReferenceRun() {
    }

    /** What the psql reference produced. */
    static final class Reference {
        Step up;
        Step down;
        Step reUp;
        SchemaDump baseline;
        SchemaDump beforeTail;
        SchemaDump schema;
        SchemaDump afterDown;
        String downScope;
        String downTo;
        String downFailure;
        final List<String> fallbacks = new ArrayList<>();
    }

    static Reference run(ProjectLab p, ReferenceHistory h) throws Exception {
        Reference r = new Reference();
        String db = "corpus_ref";
        p.fresh(db);
        r.baseline = p.dump(db, ("baseline.sql"));
        int from = downFrom(h);
        r.up = ups(p.psql, db, h.migrations().subList(0, from), r);
        r.beforeTail = from == 0 ? r.baseline : from == h.migrations().size() ? null
                : p.dump(db, ("reference-before-down-scope.sql"));
        if (r.up.isOk()) {
            r.up = ups(p.psql, db, h.migrations().subList(from, h.migrations().size()), r);
        }
        r.schema = p.dump(db, ("reference.sql"));
        p.log.accept("  psql up: " + r.up.cell());
        List<RefMigration> tail = h.migrations().subList(from, h.migrations().size());
        if (!r.up.isOk()) {
            r.down = Step.notApplicable("the ups fail under psql");
            r.reUp = Step.notApplicable(null);
        } else if (tail.isEmpty()) {
            r.down = Step.notApplicable(h.downs() == 0 ? "no downs" : "the newest migration has no down");
            r.reUp = Step.notApplicable(null);
        } else {
            int[] failedAt = {-1};
            r.down = downs(p.psql, db, tail, failedAt);
            List<RefMigration> scope = tail;
            RefMigration before = from == 0 ? null : h.migrations().get(from - 1);
            String why = "the newest without a down";
            if (!r.down.isOk() && tail.get(failedAt[0]).downTx() && failedAt[0] + 1 < tail.size()) {
                // The failed down ran in one transaction, so the database is exactly "the downs above it done":
                // that tail is still a fair down -> up comparison.
                r.downFailure = r.down.detail();
                before = tail.get(failedAt[0]);
                scope = tail.subList(failedAt[0] + 1, tail.size());
                why = "whose down fails under psql";
                r.down = Step.ok();
            }
            if (r.down.isOk()) {
                r.afterDown = p.dump(db, ("reference-after-down.sql"));
                if (r.downFailure == null) {
                    Step clean = p.compare(r.beforeTail, "the schema before those ups", r.afterDown, "psql's after the downs",
                            "reference-down");
                    r.down = clean.isOk() ? Step.ok() : Step.ok("but not back to the schema before: " + clean.detail());
                }
                Step again = ups(p.psql, db, scope, null);
                r.reUp = again.isOk() ? p.compare(r.schema, "psql's first up", p.dump(db, ("reference-reup.sql")),
                        "psql's up after down", "reference-reup") : again;
            } else {
                r.reUp = Step.notApplicable("the downs fail under psql");
            }
            r.downScope = before == null ? "all " + scope.size() : "the last " + scope.size() + " (after " + before.upFile() + " "
                    + before.id() + ", " + why + ")";
            r.downTo = before == null ? "0" : before.id();
            p.log.accept("  psql down (" + r.downScope + "): " + (r.downFailure == null ? "" : "all: **no**: " + r.downFailure
                    + "; the rest: ") + r.down.cell() + "; psql re-up: " + r.reUp.cell());
        }
        if (r.downScope == null) {
            r.downScope = "";
        }
        p.lab.dropDatabase(db);
        return r;
    }

    /** Index of the first migration of the longest tail in which every migration has a down. */
    static int downFrom(ReferenceHistory h) {
        List<RefMigration> ms = h.migrations();
        int from = ms.size();
        while (from > 0 && ms.get(from - 1).down() != null) {
            from--;
        }
        return from;
    }

    static Step ups(Psql psql, String db, List<RefMigration> ms, Reference r) throws Exception {
        for (RefMigration m : ms) {
            Psql.Result res = psql.run(db, m.upFile(), m.up(), m.upTx());
            if (!res.ok()) {
                return Step.failed(res.error());
            }
            if (res.fellBackToAutocommit() && r != null) {
                r.fallbacks.add(m.upFile());
            }
        }
        return Step.ok();
    }

    /** Runs the downs of {@code ms} newest first; on failure {@code failedAt[0]} is the failing one's index in {@code ms}. */
    static Step downs(Psql psql, String db, List<RefMigration> ms, int[] failedAt) throws Exception {
        for (int i = ms.size() - 1; i >= 0; i--) {
            RefMigration m = ms.get(i);
            Psql.Result res = psql.run(db, m.downFile(), m.down(), m.downTx());
            if (!res.ok()) {
                failedAt[0] = i;
                return Step.failed(res.error());
            }
        }
        return Step.ok();
    }
}
