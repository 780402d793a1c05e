package dev.runway.lint.internal.trace;

import java.util.List;

/**
 * The dynamic result for one migration.
 *
 * @param statements  per up statement, in order
 * @param upError     null, or the error of the up statement that failed on the scratch database
 * @param upErrorLine its line
 * @param roundTrip   problems of the up, down, up round trip (empty when it passed or was not run)
 */
public record MigrationTrace(List<StatementTrace> statements, String upError, int upErrorLine, List<RoundTripProblem> roundTrip) {
    public MigrationTrace {
        statements = List.copyOf(statements);
        roundTrip = List.copyOf(roundTrip);
    }

    /** The trace of statement {@code i}, or null when it was not traced. */
    public StatementTrace statement(int i) {
        return i < statements.size() && statements.get(i).traced() ? statements.get(i) : null;
    }

    /**
     * One round-trip problem.
     *
     * @param kind    "down-fails", "up-fails-after-down" or "differs"
     * @param line    line of the failing statement (0 for a difference)
     * @param message the error or the differences
     */
    public record RoundTripProblem(String kind, int line, String message) {
    }
}
