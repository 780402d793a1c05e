package dev.runway.migrate;

import dev.runway.migrate.dir.Migration;
import java.sql.Connection;
import java.util.List;

/**
 * A last check on the migrations about to run, called under the migration lock once the pending list
 * is known (so it sees exactly what will run), and only when something is pending. {@code release}
 * plugs the lint gate in here, judged against the target (which tables exist, and their sizes).
 * Throwing refuses the run before anything is changed.
 */
@FunctionalInterface
public interface PendingGate {
    /** Lets everything through. */
    PendingGate NONE = (applied, pending, session) -> { };

    /**
     * @param applied migrations already applied (with files in this release), oldest first, as context
     * @param pending the migrations about to run, in order (never empty)
     * @param session the session holding the migration lock, in autocommit, for read-only catalog queries
     *                (e.g. table sizes); the gate must not change its state
     * @throws dev.runway.core.RunwayException to refuse (e.g. {@code CHECK_FAILED}, exit 3)
     * @throws java.sql.SQLException when reading the target fails
     */
    void check(List<Migration> applied, List<Migration> pending, Connection session) throws java.sql.SQLException;
}
