package dev.runway.core.pg;

import java.util.GregorianCalendar;

/**
 * Initializes, on a daemon thread, what pgjdbc's first connection initializes before it talks to the
 * server: java.util.logging (every pgjdbc class holds a logger; the log manager reads its configuration),
 * {@code SecurityManager} (looked up by {@code PgConnection}), the locale data of {@code ServerVersion}'s
 * number parsing and {@code TimestampUtils}' calendar, and the socket address classes. In a cold JVM these
 * are ~0.1 s of one thread. A command-line run that is about to connect calls {@link #start()} first
 * thing, so the connecting thread, started later, finds them done (or waits for the one in progress)
 * instead of paying them in a row on a release's critical path.
 *
 * <p>Only class initialization and the JDK's own caches: nothing is configured differently, no state a
 * connection sees is changed. Any failure is dropped (the connecting thread then meets it, and reports it).
 */
public final class DriverWarmup {
    private DriverWarmup() {
    }

    /** Starts the warm-up and returns at once. */
    public static void start() {
        Thread t = new Thread(DriverWarmup::run, "runway-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The warm-up itself, on the calling thread; the order is the connecting thread's. */
    static void run() {
        try {
            ClassLoader loader = DriverWarmup.class.getClassLoader();
            Class.forName("org.postgresql.Driver", true, loader); // java.util.logging's manager and configuration
            Class.forName("org.postgresql.jdbc.PgConnection", true, loader); // SecurityManager's class initialization
            Class.forName("org.postgresql.core.ServerVersion", true, loader); // NumberFormat: the locale's number data
            new GregorianCalendar(); // TimestampUtils: the locale's calendar data
            java.util.TimeZone.getDefault();
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (Throwable ignored) {
            // the connecting thread initializes these itself and reports what fails
        }
    }
}
