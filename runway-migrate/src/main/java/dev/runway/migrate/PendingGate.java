package dev.runway.migrate;

import dev.runway.migrate.dir.Migration;
import java.util.List;

/**
 * A last check on the migrations about to run, called under the migration lock once the pending list
 * is known (so it sees exactly what will run). {@code release} plugs the static lint gate in here.
 * Throwing refuses the run before anything is changed.
 */
@FunctionalInterface
public interface PendingGate {
    /** Lets everything through. */
    PendingGate NONE = (applied, pending) -> { };

    /**
     * @param applied migrations already applied (with files in this release), oldest first, as context
     * @param pending the migrations about to run, in order
     * @throws dev.runway.core.RunwayException to refuse (e.g. {@code CHECK_FAILED}, exit 3)
     */
    void check(List<Migration> applied, List<Migration> pending);
}
