package dev.runway.migrate.history;

/** The status column of {@code runway_schema_history}. */
public enum HistoryStatus {
    /** Fully applied. */
    APPLIED,
    /** A non-transactional migration stopped on an error; later runs refuse until {@code runway repair}. */
    FAILED,
    /**
     * A non-transactional migration was in progress when its process died (no error was recorded).
     * The next run resumes after the last completed statement.
     */
    RUNNING,
    /** The row {@code runway baseline} wrote: every version up to this one counts as applied. */
    BASELINE;

    public String dbValue() {
        return name().toLowerCase();
    }

    public static HistoryStatus fromDb(String s) {
        return valueOf(s.toUpperCase());
    }
}
