package dev.runway.migrate.dir;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;

/**
 * {@code runway.sum} does not match the migration files (exit code 4, {@link ErrorCode#INTEGRITY}).
 * Like Atlas's {@code ChecksumError}, it carries the offending file and the line of runway.sum.
 */
public class SumFileException extends RunwayException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;

    public SumFileException(String message, String file, int line) {
        super(ErrorCode.INTEGRITY, message);
        this.file = file;
        this.line = line;
    }

    /** The offending migration file, relative to the directory; null when the problem is runway.sum itself. */
    public String file() {
        return file;
    }

    /** The 1-based line of runway.sum involved, or 0 when none. */
    public int line() {
        return line;
    }
}
