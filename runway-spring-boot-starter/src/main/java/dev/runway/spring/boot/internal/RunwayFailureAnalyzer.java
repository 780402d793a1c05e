package dev.runway.spring.boot.internal;

import dev.runway.core.RunwayException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link RunwayException} at start-up (a missing DATABASE_URL, a consistency filter without
 * a token secret, Hibernate connection handling that defeats read-only routing, a failed migration)
 * into Spring Boot's "APPLICATION FAILED TO START" report: Runway's one-line message, no stack trace.
 */
public final class RunwayFailureAnalyzer extends AbstractFailureAnalyzer<RunwayException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RunwayException cause) {
        return new FailureAnalysis("runway: " + cause.getMessage(),
                "Fix the setting named above: an environment variable or its runway.* property (Runway's docs/datasource.md, "
                        + "\"Spring Boot\", lists them).", cause);
    }
}
