package dev.runway.bench.corpus;

import java.util.List;

/**
 * Everything the harness found for one history. Immutable.
 *
 * @param downScope  which migrations the down steps cover: all, or the tail after the newest one without a down
 * @param downFailure when psql's downs fail, the failure; the down steps then cover the migrations above the failing one
 * @param refUp      psql applies every up in order
 * @param refDown    psql applies every down in reverse order and the schema is back to the baseline
 * @param refReUp    psql applies the ups again after its downs, to the same schema
 * @param rwUp       {@code runway migrate} applies the history and the schema equals the reference
 * @param rwDown     {@code runway rollback --to 0} runs every down and the schema is back to the baseline
 * @param rwReUp     {@code runway migrate} after the rollback gives the reference schema again
 * @param check      what {@code runway check --static} said (informational)
 */
record ProjectResult(ProjectSpec spec, String commit, int migrations, long downs, List<String> skipped, List<String> autocommitFallbacks,
                     String downScope, String downFailure,
                     Step refUp, Step refDown, Step refReUp, Step hash, Step rwUp, Step rwDown, Step rwReUp, String check,
                     double seconds) {
}
