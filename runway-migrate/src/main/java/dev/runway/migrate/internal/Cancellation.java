package dev.runway.migrate.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.Sleeper;
import dev.runway.core.pg.PgSession;
import dev.runway.core.pg.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stop request and what it needs: the flag the engine checks at its safe points, back-off sleeps
 * that end early when it is set, and, after a grace, {@code pg_cancel_backend} from a second
 * connection for a statement still running on the migrating session (a stop must fit in the time a
 * platform gives between SIGTERM and SIGKILL, e.g. Fly's kill_timeout of 5 s). Once requested it
 * stays requested. Thread-safe: {@link #request} is called from signal handlers.
 */
public final class Cancellation {
    private final DatabaseUrl url;
    private final String applicationName;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object session = new Object();
    /** Backend pid of the migrating session while a call runs, else 0. Guarded by {@link #session}. */
    private int pid;
    private volatile boolean statementCancelled;

    public Cancellation(DatabaseUrl url, String applicationName) {
        this.url = url;
        this.applicationName = applicationName;
    }

    /** The flag the executor checks between statements and batches. */
    public AtomicBoolean flag() {
        return stop;
    }

    public boolean requested() {
        return stop.get();
    }

    /** True once a statement of this run was cancelled after the grace. */
    public boolean statementCancelled() {
        return statementCancelled;
    }

    /** True when {@code e} is the cancellation this request caused (not some other failure). */
    public boolean causedBy(SQLException e) {
        return stop.get() && SqlStates.isQueryCanceled(e);
    }

    /**
     * Asks the run to stop at its next safe point; with a {@code grace}, a statement still running on
     * the migrating session after it is cancelled (a background thread waits out the grace).
     */
    public void request(Duration grace) {
        stop.set(true);
        stopped.countDown();
        if (grace == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            cancelRunningStatement();
        }, "runway-stop-grace");
        t.setDaemon(true);
        t.start();
    }

    /** {@code base}, except that it returns at once (InterruptedException) when a stop is requested. */
    public Sleeper sleeper(Sleeper base) {
        return d -> {
            if (stop.get()) {
                throw new InterruptedException("stop requested");
            }
            if (base == Sleeper.SYSTEM) {
                if (stopped.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new InterruptedException("stop requested");
                }
                return;
            }
            base.sleep(d); // an injected sleeper (tests): its own notion of time
            if (stop.get()) {
                throw new InterruptedException("stop requested");
            }
        };
    }

    /** The migrating session of the call now running (no query: pgjdbc knows the pid from the start-up). */
    public void sessionStarted(Connection c) throws SQLException {
        int p = c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        synchronized (session) {
            pid = p;
        }
    }

    public void sessionEnded() {
        synchronized (session) {
            pid = 0; // from here on the pid may belong to someone else's session: never cancel it
        }
    }

    /**
     * Cancels the statement running on the migrating session, if any, from a second connection. Held
     * under the session monitor so the session cannot end (and its pid be reused) meanwhile.
     */
    void cancelRunningStatement() {
        synchronized (session) {
            if (pid == 0) {
                return;
            }
            try (Connection c = PgSession.connect(url, applicationName + " (stop)");
                 PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                         + " WHERE pid = ? AND state = 'active'")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        statementCancelled = true;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // nothing more to do: the run still stops at its next safe point, and a second signal exits at once
            }
        }
    }
}
