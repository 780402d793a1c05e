package dev.runway.core;

/**
 * Every failure Runway reports falls into one of these; each maps to one process exit code.
 * The exit codes are a public API (README, "Exit codes") and never change meaning.
 */
public enum ErrorCode {
    /** A migration (or backfill batch) failed with a database error. */
    MIGRATION_FAILED(1),
    /**
     * Bad flag, bad configuration value, unreadable file, malformed input; also a connection that only
     * a configuration change fixes: authentication failed, database missing, TLS required but
     * unavailable, unknown host.
     */
    USAGE(2),
    /** {@code check} or the release lint gate found blocking findings. */
    CHECK_FAILED(3),
    /** runway.sum or a checksum does not match, a failed row blocks, a version is out of order. */
    INTEGRITY(4),
    /**
     * Temporary (retrying later may succeed): lock wait timed out, lock-timeout retries exhausted,
     * connection refused or timed out, server starting or shutting down, interrupted by SIGINT/SIGTERM
     * with work pending.
     */
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
