package dev.runway.lint;

import dev.runway.lint.internal.trace.Scratch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The scratch server of a {@code check} run, started on a background thread before the files are read, so that
 * starting a lab server (or, on {@code --scratch-url}, connecting and creating the scratch database) overlaps
 * reading and linting them. Hand it to {@link Check#run(java.util.List, java.util.List, LintConfig, CheckOptions,
 * CheckProgress, ScratchStart)}, which takes the scratch and closes it; {@link #close()} cleans up what the run did
 * not take (bad input, nothing to trace). A failure to start is thrown where the run would have met it without the
 * head start, so bad input still wins over an unreachable server. Used by one thread (the background one aside).
 */
public final class ScratchStart implements AutoCloseable {
    private final CompletableFuture<Integer> major = new CompletableFuture<>();
    private final CompletableFuture<Scratch> scratch = new CompletableFuture<>();
    private boolean taken;

    private ScratchStart() {
    }

    /**
     * Starts what {@code opt} will trace on; null when there is nothing to start ahead: static rules only, or
     * {@code --against} (the target's major decides the lab's, and it is read first).
     */
    public static ScratchStart begin(CheckOptions opt) {
        if (!opt.trace() || opt.against() != null) {
            return null;
        }
        ScratchStart s = new ScratchStart();
        if (opt.scratchUrl() == null) {
            // Starting a lab is mostly waiting for processes (pg_config, postgres --version, the postmaster's start-up):
            // pgjdbc's one-time class initialization, which its first connection would pay right after, meanwhile.
            Thread w = new Thread(ScratchStart::warmDriver, "runway-driver-warmup");
            w.setDaemon(true);
            w.start();
        }
        Thread t = new Thread(() -> s.prepare(opt), "runway-scratch-start");
        t.setDaemon(true); // close() waits for it; a handle nobody closes must not hold the JVM
        t.start();
        return s;
    }

    /**
     * Initializes what pgjdbc's first connection initializes before it talks to the server: java.util.logging (every
     * pgjdbc class holds a logger), the connection class, the locale data of {@code ServerVersion}'s number parsing
     * and {@code TimestampUtils}' calendar. Class initialization only, nothing configured; a failure is dropped (the
     * connecting thread meets it and reports it).
     */
    private static void warmDriver() {
        try {
            ClassLoader loader = ScratchStart.class.getClassLoader();
            Class.forName("org.postgresql.Driver", true, loader);
            Class.forName("org.postgresql.jdbc.PgConnection", true, loader);
            Class.forName("org.postgresql.core.ServerVersion", true, loader);
            Class.forName("org.postgresql.core.v3.QueryExecutorImpl", true, loader);
            new java.util.GregorianCalendar();
        } catch (Throwable ignored) {
            // the connecting thread initializes these itself and reports what fails
        }
    }

    private void prepare(CheckOptions opt) {
        Scratch s = null;
        try {
            s = opt.scratchUrl() == null ? Scratch.startLab(opt.labVersion()) : Scratch.at(opt.scratchUrl(), major::complete);
            major.complete(s.major());
            s.main(); // the scratch session too
            scratch.complete(s);
        } catch (RuntimeException | Error e) {
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            major.completeExceptionally(e);
            scratch.completeExceptionally(e);
        }
    }

    /** The scratch server's major (waits for it); throws what starting it threw. */
    int major() {
        return join(major);
    }

    /** The scratch, now the caller's to close (waits for it); throws what starting it threw. */
    Scratch take() {
        taken = true;
        return join(scratch);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
    }

    /**
     * Waits for the start and closes the scratch when no run took it. A start that failed is dropped (nothing used
     * it: the run's own outcome is what counts); a clean-up that fails is thrown (suppressed under the run's own
     * failure by try-with-resources), so no run ends well with a scratch database left behind.
     */
    @Override
    public void close() {
        if (taken) {
            return;
        }
        taken = true;
        Scratch s;
        try {
            s = scratch.join();
        } catch (CompletionException e) {
            return;
        }
        s.close();
    }
}
