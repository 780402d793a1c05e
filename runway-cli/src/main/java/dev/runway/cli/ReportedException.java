package dev.runway.cli;

/** A failure already written to the output (e.g. inside a JSON document); Main only exits with its code. */
public final class ReportedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ReportedException(int exitCode, Throwable cause) {
        super(cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
