package dev.runway.cli;

import dev.runway.cli.output.Output;
import dev.runway.migrate.Runway;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C is a feature: the first SIGINT asks the engine to stop at the next safe point (between
 * migrations, or statements of a non-transactional one), which records progress and releases the
 * lock; a second SIGINT exits at once (the server then rolls back the open transaction).
 */
final class Interrupts {
    private Interrupts() {
    }

    @SuppressWarnings("restriction")
    static void install(Runway runway, Output out) {
        AtomicInteger count = new AtomicInteger();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> {
                if (count.incrementAndGet() == 1) {
                    out.err().println("runway: stopping after the current step (Ctrl-C again to exit now)");
                    runway.cancel();
                } else {
                    Runtime.getRuntime().halt(130);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGINT on this platform: default JVM behaviour applies.
        }
    }
}
