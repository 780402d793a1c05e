package dev.runway.bench.rehearsal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the users saw during one phase: requests, failed, stale, retried on another instance, latency. */
public record PhaseStats(String phase, long seconds, int requests, int failed, int stale, int retried, double p50Ms, double p99Ms,
                         List<String> examples) {

    /** Groups samples by phase, in the order the phases ran. */
    static List<PhaseStats> of(List<String> phases, Map<String, Long> millis, List<Traffic.Sample> samples) {
        Map<String, List<Traffic.Sample>> by = new LinkedHashMap<>();
        phases.forEach(p -> by.put(p, new ArrayList<>()));
        for (Traffic.Sample s : samples) {
            by.computeIfAbsent(s.phase(), p -> new ArrayList<>()).add(s);
        }
        List<PhaseStats> out = new ArrayList<>();
        by.forEach((phase, list) -> {
            double[] ms = list.stream().mapToDouble(s -> s.nanos() / 1e6).sorted().toArray();
            int failed = 0;
            int stale = 0;
            int retried = 0;
            List<String> examples = new ArrayList<>();
            for (Traffic.Sample s : list) {
                if (s.outcome() == Traffic.Outcome.FAILED) {
                    failed++;
                } else if (s.outcome() == Traffic.Outcome.STALE) {
                    stale++;
                }
                if (s.retried()) {
                    retried++;
                }
                if (s.detail() != null && examples.size() < 3) {
                    examples.add(s.outcome() + " " + s.kind() + ": " + s.detail());
                }
            }
            out.add(new PhaseStats(phase, millis.getOrDefault(phase, 0L) / 1000, list.size(), failed, stale, retried,
                    percentile(ms, 0.50), percentile(ms, 0.99), examples));
        });
        return out;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static String table(List<PhaseStats> phases) {
        StringBuilder b = new StringBuilder("| phase | s | requests | failed | stale | retried | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|\n");
        for (PhaseStats p : phases) {
            b.append(String.format("| %s | %d | %d | %d | %d | %d | %.1f | %.1f |%n", p.phase, p.seconds, p.requests, p.failed, p.stale,
                    p.retried, p.p50Ms, p.p99Ms));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return phase + ": " + requests + " requests, " + failed + " failed, " + stale + " stale; " + Arrays.toString(examples.toArray());
    }
}
