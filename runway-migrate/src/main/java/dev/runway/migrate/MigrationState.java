package dev.runway.migrate;

/** Where one migration stands, as {@code runway status} shows it. */
public enum MigrationState {
    APPLIED("applied", false),
    PENDING("pending", false),
    /** A non-transactional migration stopped on an error; blocks until {@code runway repair}. */
    FAILED("failed", true),
    /** A non-transactional migration whose process died mid-way; the next run resumes it. */
    PARTIAL("partially applied", false),
    /** Applied, but its file is gone from this release (tolerated, reported). */
    MISSING_FILE("applied, file missing", false),
    /** Applied by a newer release: fine during a rolling deploy. */
    FUTURE("applied by a newer release", false),
    /** Applied; only its down section changed since (or was added): fine, reported for information. */
    DOWN_CHANGED("applied, down changed since", false),
    /** The file changed after it was applied. */
    CHECKSUM_CHANGED("checksum changed", true),
    /** Pending, but older than the newest applied version. */
    OUT_OF_ORDER("pending, out of order", true),
    /** A migration that runs again when it changes (Flyway {@code R__}, Liquibase {@code runOnChange}) has changed: pending. */
    CHANGED_RERUN("changed, runs again", false),
    /** The baseline row. */
    BASELINE("baseline", false),
    /** Older than the baseline: counts as applied. */
    BELOW_BASELINE("below baseline", false);

    private final String label;
    private final boolean problem;

    MigrationState(String label, boolean problem) {
        this.label = label;
        this.problem = problem;
    }

    public String label() {
        return label;
    }

    /** True when this state stops {@code migrate} with exit code 4. */
    public boolean problem() {
        return problem;
    }
}
