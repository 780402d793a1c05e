package dev.runway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Renders samples as the markdown table of shared/research/migrators.md §3 (median of the rounds,
 * min–max, CPU = user+sys, peak RSS) and checks issue #3's targets. Stateless.
 */
public final class Report {
    static final String FLOOR = "jvm-floor";

    private Report() {
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static List<Sample> select(List<Sample> all, String durability, int n, String tool, String phase) {
        return all.stream().filter(s -> s.durability().equals(durability) && s.n() == n && s.tool().equals(tool)
                && s.phase().equals(phase)).collect(Collectors.toList());
    }

    static double med(List<Sample> s, ToDoubleFunction<Sample> f) {
        return median(s.stream().map(x -> f.applyAsDouble(x)).collect(Collectors.toList()));
    }

    private static String cells(List<Sample> s) {
        if (s.isEmpty()) {
            return " – | – | – | – | – |";
        }
        double min = s.stream().mapToDouble(Sample::wall).min().orElse(0);
        double max = s.stream().mapToDouble(Sample::wall).max().orElse(0);
        double server = med(s, Sample::serverCpu);
        return String.format(Locale.ROOT, " %.2f | %.2f–%.2f | %.2f | %s | %.0f |", med(s, Sample::wall), min, max,
                med(s, Sample::cpu), Double.isNaN(server) ? "–" : String.format(Locale.ROOT, "%.2f", server),
                med(s, Sample::rssMib));
    }

    /** The table for one durability setting. */
    public static String table(List<Sample> all, String durability, List<Integer> sizes, List<Tool> tools) {
        StringBuilder b = new StringBuilder();
        b.append("| N | tool | apply wall s (median) | apply min–max | apply CPU s | apply server CPU s | apply peak RSS MiB"
                + " | no-op wall s (median) | no-op min–max | no-op CPU s | no-op server CPU s | no-op peak RSS MiB |\n");
        b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Sample> floor = select(all, durability, 0, FLOOR, "noop");
        if (!floor.isEmpty()) {
            b.append("| – | `java -version` (JVM floor, default flags) | – | – | – | – | – |").append(cells(floor)).append('\n');
        }
        for (int n : sizes) {
            for (Tool t : tools) {
                List<Sample> apply = select(all, durability, n, t.key(), "apply");
                List<Sample> noop = select(all, durability, n, t.key(), "noop");
                if (apply.isEmpty() && noop.isEmpty()) {
                    continue;
                }
                b.append("| ").append(n).append(" | ").append(t.label()).append(" |").append(cells(apply))
                        .append(cells(noop)).append('\n');
            }
        }
        return b.toString();
    }

    /** Issue #3's targets at the largest size, each with the measured figure and met / NOT met. */
    public static String targets(List<Sample> all, String durability, int n) {
        double rwNoop = med(select(all, durability, n, "runway", "noop"), Sample::wall);
        double rwApply = med(select(all, durability, n, "runway", "apply"), Sample::wall);
        double fwNoop = med(select(all, durability, n, "flyway", "noop"), Sample::wall);
        double fwApply = med(select(all, durability, n, "flyway", "apply"), Sample::wall);
        double lbApply = med(select(all, durability, n, "liquibase", "apply"), Sample::wall);
        double psApply = med(select(all, durability, n, "psql", "apply"), Sample::wall);
        double rss = all.stream().filter(s -> s.durability().equals(durability) && s.tool().equals("runway"))
                .mapToDouble(Sample::rssMib).max().orElse(Double.NaN);
        StringBuilder b = new StringBuilder();
        b.append("| target (issue #3, N = ").append(n).append(") | measured (medians) | met? |\n|---|---|---|\n");
        row(b, "no-op `release` ≤ 0.3 s wall", f("%.2f s", rwNoop), rwNoop <= 0.3);
        row(b, "no-op ≥ 2.5× faster than Flyway", f("Flyway %.2f s / Runway %.2f s = %.1f×", fwNoop, rwNoop, fwNoop / rwNoop),
                fwNoop / rwNoop >= 2.5);
        row(b, "apply within 2× of psql", f("Runway %.2f s / psql %.2f s = %.1f×", rwApply, psApply, rwApply / psApply),
                rwApply <= 2 * psApply);
        row(b, "apply ≤ 1.2× psql (issue #15)", f("Runway %.2f s / psql %.2f s = %.2f×", rwApply, psApply, rwApply / psApply),
                rwApply <= 1.2 * psApply);
        row(b, "no-op ≤ 0.25 s (issue #15)", f("%.2f s", rwNoop), rwNoop <= 0.25);
        double rtNoop = med(select(all, durability, n, "runway-runtime", "noop"), Sample::wall);
        double rtApply = med(select(all, durability, n, "runway-runtime", "apply"), Sample::wall);
        if (!Double.isNaN(rtNoop)) {
            row(b, "no-op ≤ 0.25 s, self-contained bundle (issue #15)", f("%.2f s", rtNoop), rtNoop <= 0.25);
            row(b, "apply ≤ 1.2× psql, self-contained bundle (issue #15)", f("Runway %.2f s / psql %.2f s = %.2f×", rtApply, psApply,
                    rtApply / psApply), rtApply <= 1.2 * psApply);
        }
        row(b, "apply faster than Flyway", f("Runway %.2f s vs Flyway %.2f s", rwApply, fwApply), rwApply < fwApply);
        row(b, "apply faster than Liquibase", f("Runway %.2f s vs Liquibase %.2f s", rwApply, lbApply), rwApply < lbApply);
        row(b, "peak RSS ≤ 128 MiB (every Runway run, every N)", f("max %.0f MiB", rss), rss <= 128);
        return b.toString();
    }

    private static void row(StringBuilder b, String target, String measured, boolean met) {
        b.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "met" : "**NOT met**")
                .append(" |\n");
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
