package dev.runway.cli;

import dev.runway.cli.output.Output;
import dev.runway.core.ErrorCode;
import dev.runway.migrate.Runway;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGINT (Ctrl-C) and SIGTERM (what Fly and most platforms send before SIGKILL) are a feature: the
 * first asks the engine to stop at the next safe point (between migrations, statements of a
 * non-transactional one, or backfill batches), which records progress, releases the lock and exits
 * 75 with "interrupted: N pending"; a statement still running after {@code grace} is cancelled
 * ({@code pg_cancel_backend} from a second connection), so the stop fits in the platform's kill
 * timeout (Fly: 5 s). A second signal exits 75 at once (the server then rolls back the open
 * transaction).
 */
final class Interrupts {
    private Interrupts() {
    }

    @SuppressWarnings("restriction")
    static void install(Runway runway, Output out, Duration grace) {
        AtomicInteger count = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (count.incrementAndGet() == 1) {
                        out.err().println("runway: SIG" + sig.getName() + ": stopping after the current step (a statement still"
                                + " running in " + dev.runway.core.Durations.format(grace) + " is cancelled; signal again to exit now)");
                        runway.cancel(grace);
                    } else {
                        exitNow(out, sig.getName());
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // No such signal here, or the JVM reserves it: its default behaviour applies.
            }
        }
    }

    private static void exitNow(Output out, String signal) {
        int code = ErrorCode.TEMPORARY.exitCode();
        String message = "interrupted again (SIG" + signal + "): exited at once; the server rolls back the open transaction;"
                + " run 'runway status' and run again";
        out.err().println("runway: error: " + message);
        if (out.json()) {
            try {
                out.printError(code, message, null);
            } catch (IllegalStateException alreadyPrinted) {
                // the run's document is out: it stands
            }
        }
        out.err().flush();
        out.out().flush();
        Runtime.getRuntime().halt(code);
    }
}
