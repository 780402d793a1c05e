package dev.runway.core;

/**
 * Every failure Runway reports falls into one of these; each maps to one process exit code.
 * The exit codes are a public API (README, "Exit codes") and never change meaning.
 */
public enum ErrorCode {
    /** A migration (or backfill batch) failed with a database error. */
    MIGRATION_FAILED(1),
    /** Bad flag, bad configuration value, unreadable file, malformed input. */
    USAGE(2),
    /** {@code check} or the release lint gate found blocking findings. */
    CHECK_FAILED(3),
    /** runway.sum or a checksum does not match, a failed row blocks, a version is out of order. */
    INTEGRITY(4),
    /** Temporary: lock wait timed out, lock-timeout retries exhausted, database unreachable. */
    TEMPORARY(75);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code the CLI uses for this condition. */
    public int exitCode() {
        return exitCode;
    }
}
