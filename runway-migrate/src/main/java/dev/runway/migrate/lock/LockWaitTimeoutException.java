package dev.runway.migrate.lock;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;

/** The migration lock stayed taken for the whole {@code --lock-wait}; exit code 75 (try again later). */
public final class LockWaitTimeoutException extends RunwayException {
    private static final long serialVersionUID = 1L;

    public LockWaitTimeoutException(String message) {
        super(ErrorCode.TEMPORARY, message);
    }
}
