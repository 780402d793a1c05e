package dev.runway.bench;

import java.util.Locale;

/**
 * One timed run.
 *
 * @param durability {@code durable} (fsync and full_page_writes on) or {@code lab} (the lab's fsync off)
 * @param phase      {@code apply} (fresh database) or {@code noop} (the same command again)
 * @param load1      1-minute load average read just before the run
 * @param serverCpu  seconds of CPU the PostgreSQL server used during the run ({@link ServerCpu}); NaN when not measured
 */
public record Sample(String durability, int round, int n, String tool, String phase, double wall, double user,
                    double sys, long rssKib, double load1, double serverCpu) {
    public static final String CSV_HEADER = "durability,round,n,tool,phase,wall_s,user_s,sys_s,peak_rss_kib,load1,server_cpu_s";

    public double cpu() {
        return user + sys;
    }

    public double rssMib() {
        return rssKib / 1024.0;
    }

    public String csv() {
        return String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%.2f,%.2f,%.2f,%d,%.2f,%s", durability, round, n, tool, phase, wall,
                user, sys, rssKib, load1, Double.isNaN(serverCpu) ? "" : String.format(Locale.ROOT, "%.2f", serverCpu));
    }

    public String json() {
        return String.format(Locale.ROOT, "{\"durability\":\"%s\",\"round\":%d,\"n\":%d,\"tool\":\"%s\",\"phase\":\"%s\","
                + "\"wall_s\":%.2f,\"user_s\":%.2f,\"sys_s\":%.2f,\"peak_rss_kib\":%d,\"load1\":%.2f,\"server_cpu_s\":%s}", durability,
                round, n, tool, phase, wall, user, sys, rssKib, load1,
                Double.isNaN(serverCpu) ? "null" : String.format(Locale.ROOT, "%.2f", serverCpu));
    }
}
