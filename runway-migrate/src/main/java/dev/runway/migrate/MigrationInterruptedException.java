package dev.runway.migrate;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;

/**
 * A run stopped by {@link Runway#cancel} with work left: exit 75 ("interrupted: N pending"), the
 * history exact (every migration either applied and recorded, rolled back and absent, or a
 * non-transactional one recorded as running at the statement where it stopped, to resume).
 */
public final class MigrationInterruptedException extends RunwayException {
    private static final long serialVersionUID = 1L;
    private final int done;
    private final int pending;

    /**
     * @param done    migrations applied (or rolled back) by this run before it stopped
     * @param pending migrations of the run left undone (the one in flight included); -1 when not known
     *                (stopped before the pending list was computed under the lock)
     * @param why     what was going on, e.g. the in-flight migration's message; null when stopped between migrations
     */
    MigrationInterruptedException(MigrationListener.Direction direction, int done, int pending, RunwayException why) {
        super(ErrorCode.TEMPORARY, message(direction, done, pending, why), why);
        this.done = done;
        this.pending = pending;
    }

    private static String message(MigrationListener.Direction direction, int done, int pending, RunwayException why) {
        String verb = direction == MigrationListener.Direction.DOWN ? "rolled back" : "applied";
        if (pending < 0) {
            return "interrupted before taking the migration lock; nothing was changed, run again";
        }
        return "interrupted: " + pending + " pending (" + done + " of " + (done + pending) + " " + verb + " by this run)"
                + (why == null ? "" : ": " + why.getMessage()) + "; run again to "
                + (direction == MigrationListener.Direction.DOWN ? "finish the rollback" : "apply the rest");
    }

    /** Migrations this run applied (or rolled back) before it stopped. */
    public int done() {
        return done;
    }

    /** Migrations of this run left undone; -1 when it stopped before they were known. */
    public int pending() {
        return pending;
    }
}
