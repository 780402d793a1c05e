package dev.runway.migrate.dir;

/**
 * One step of a section that runs unit by unit: either one transaction block or one statement outside
 * any block. Indexes are into the section's statement list ({@link Migration#up()} or
 * {@link Migration#down()}) and include the block's own {@code BEGIN} and {@code COMMIT} statements.
 * Immutable.
 *
 * @param from       index of the first statement
 * @param to         index after the last statement
 * @param block      true for a transaction block, false for one statement outside any block
 * @param fileBegins true when statement {@code from} is the file's own {@code BEGIN}/{@code START TRANSACTION};
 *                   false when Runway opens the block (the statements before a leading {@code COMMIT}, which
 *                   another runner would have run in its own transaction)
 * @param fileEnds   true when statement {@code to - 1} is the file's own {@code COMMIT}/{@code END} or
 *                   {@code ROLLBACK}/{@code ABORT}; false when Runway commits (a {@code BEGIN} at the end of a
 *                   {@code COMMIT; ... BEGIN;} escape, which another runner would have committed)
 * @param rollsBack  true when the block ends with the file's {@code ROLLBACK}/{@code ABORT}
 */
public record Unit(int from, int to, boolean block, boolean fileBegins, boolean fileEnds, boolean rollsBack) {
    /** A single statement outside any block. */
    public static Unit statement(int index) {
        return new Unit(index, index + 1, false, false, false, false);
    }

    /** Index of the first statement inside the block (after the file's BEGIN, if any). */
    public int innerFrom() {
        return fileBegins ? from + 1 : from;
    }

    /** Index after the last statement inside the block (before the file's COMMIT/ROLLBACK, if any). */
    public int innerTo() {
        return fileEnds ? to - 1 : to;
    }
}
