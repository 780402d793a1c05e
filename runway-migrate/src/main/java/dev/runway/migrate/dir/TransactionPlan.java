package dev.runway.migrate.dir;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.internal.TransactionModes;
import java.util.List;

/**
 * How a section (up or down) runs: its {@link TransactionMode} and, when it runs unit by unit or is the
 * file's single {@code BEGIN ... COMMIT} block, its {@link Unit}s. The migration loader and {@code check}
 * decide it the same way, so the linter and the executor agree. Immutable.
 *
 * @param mode  how the section runs
 * @param units see {@link Migration#upUnits()}
 */
public record TransactionPlan(TransactionMode mode, List<Unit> units) {
    public TransactionPlan {
        units = List.copyOf(units);
    }

    /**
     * Decides how {@code statements} run under Runway.
     *
     * @param transactionNone true when the file says {@code -- runway:transaction none} (or its runner's equivalent)
     * @param where           the file, for errors
     * @throws dev.runway.core.RunwayException USAGE naming {@code where:line} for unbalanced or unsupported
     *                                         transaction control, or a mix that needs {@code transaction none}
     */
    public static TransactionPlan of(List<SqlStatement> statements, boolean transactionNone, String where) {
        return TransactionModes.decideWithUnits(statements, transactionNone, where);
    }
}
