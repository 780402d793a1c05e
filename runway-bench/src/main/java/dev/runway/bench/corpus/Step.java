package dev.runway.bench.corpus;

/**
 * One step's outcome for the results table: done, failed (with a one-line reason naming file and line
 * where known), or not applicable (with why). Immutable.
 */
record Step(State state, String detail) {
    /** The three outcomes. */
    enum State { OK, FAILED, NOT_APPLICABLE }

    static Step ok() {
        return new Step(State.OK, null);
    }

    static Step ok(String detail) {
        return new Step(State.OK, detail);
    }

    static Step failed(String detail) {
        return new Step(State.FAILED, detail);
    }

    static Step notApplicable(String why) {
        return new Step(State.NOT_APPLICABLE, why);
    }

    boolean isOk() {
        return state == State.OK;
    }

    /** A table cell: "yes", "**no**: reason", "n/a (why)". */
    String cell() {
        switch (state) {
            case OK:
                return detail == null ? "yes" : "yes (" + detail + ")";
            case FAILED:
                return "**no**: " + Cells.escape(detail, 220);
            default:
                return "n/a" + (detail == null ? "" : " (" + Cells.escape(detail) + ")");
        }
    }
}
