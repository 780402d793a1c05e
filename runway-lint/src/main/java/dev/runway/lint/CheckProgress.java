package dev.runway.lint;

/**
 * What {@link Check#run} tells its caller while it traces, so a terminal can show how far it is
 * (a trace of 1,000 files takes tens of seconds). Called on the checking thread, in order.
 */
public interface CheckProgress {
    CheckProgress NONE = new CheckProgress() { };

    /** Tracing of the {@code index}-th (from 0) of {@code total} migrations starts. */
    default void tracing(int index, int total, CheckedMigration m) { }

    /** That migration's trace (and round trip) is done. */
    default void traced(int index, int total, CheckedMigration m) { }
}
