package dev.runway.migrate.lock;

import java.time.Duration;

/**
 * The session that holds Runway's migration lock, as {@code pg_stat_activity} shows it.
 *
 * @param age how long its session has existed, or null when unknown
 */
public record LockHolder(int pid, String applicationName, String clientAddr, Duration age, String state) {
    /** {@code pid 4242 (runway release, 10.0.0.7, connected 2m3s ago, active)}. */
    public String describe() {
        StringBuilder b = new StringBuilder("pid ").append(pid).append(" (");
        b.append(applicationName == null || applicationName.isEmpty() ? "no application_name" : applicationName);
        if (clientAddr != null) {
            b.append(", ").append(clientAddr);
        }
        if (age != null) {
            b.append(", connected ").append(age.toSeconds()).append("s ago");
        }
        if (state != null) {
            b.append(", ").append(state);
        }
        return b.append(')').toString();
    }
}
