package dev.runway.backfill.internal;

import dev.runway.migrate.backfill.BackfillRun;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Before each batch: waits while the worst replica lags more than {@code max-lag} (or cannot be
 * measured), polling every {@code max-lag/4} (20..250 ms) and reporting the wait every 5 s. Not
 * thread-safe: one per run.
 */
public final class LagWait {
    private final Duration maxLag;
    private final ReplicaLag lag;

    public LagWait(Duration maxLag, ReplicaLag lag) {
        this.maxLag = maxLag;
        this.lag = lag;
    }

    /** @return false when a stop was requested while waiting */
    public boolean await(BackfillRun run) throws SQLException {
        if (maxLag.isZero()) {
            return true;
        }
        long since = System.nanoTime();
        long reported = 0;
        Duration poll = Duration.ofMillis(Math.max(20, Math.min(250, maxLag.toMillis() / 4)));
        while (true) {
            ReplicaLag.Worst w = lag.check(run.connection());
            String hidden = lag.hiddenNotice();
            if (hidden != null) {
                run.listener().notice(run.migration().displayName() + ": " + hidden);
            }
            if (w == null || !w.beyond(maxLag)) {
                return true;
            }
            long now = System.nanoTime();
            if (reported == 0 || now - reported >= 5_000_000_000L) {
                run.listener().backfillWaiting(run.migration(), "replica " + w.name() + (w.lag() == null ? " " + w.problem()
                        : " replay lag " + w.lag().toMillis() + "ms") + " > max-lag " + maxLag.toMillis() + "ms",
                        Duration.ofNanos(now - since));
                reported = now;
            }
            if (run.stopRequested() || !BatchLoop.sleep(run, poll)) {
                return false;
            }
        }
    }
}
