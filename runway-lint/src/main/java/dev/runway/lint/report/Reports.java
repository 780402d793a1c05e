package dev.runway.lint.report;

import dev.runway.lint.CheckResult;
import dev.runway.lint.Finding;
import dev.runway.lint.RuleId;
import dev.runway.lint.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a {@link CheckResult}: human text, a JSON tree, SARIF 2.1.0 and GitHub Actions workflow
 * commands. JSON and SARIF are built as plain maps and lists so the caller serializes them with its
 * own JSON library (the CLI uses Jackson). Stateless.
 */
public final class Reports {
    private Reports() {
    }

    /** The output formats of {@code check}. */
    public enum Format {
        TEXT, JSON, SARIF, GITHUB;

        public static Format parse(String s, String where) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw dev.runway.core.RunwayException.usage(where + ": '" + s + "' is not a check format (text, json, sarif, github)");
        }
    }

    /** Human-readable lines: one block per finding, then a summary line. */
    public static List<String> text(CheckResult r) {
        List<String> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            RuleId id = RuleId.find(f.rule());
            out.add(f.location() + ": " + f.severity().label() + " " + f.rule() + " " + (id == null ? "" : id.slug()) + ": " + f.message());
            if (f.lock() != null) {
                out.add("    lock:   " + f.lock());
            }
            if (f.impact() != null) {
                out.add("    impact: " + f.impact());
            }
            out.add("    safe:   " + f.safeAlternative());
            out.add("    docs:   " + (id == null ? "docs/check.md" : id.docPath()));
        }
        out.add(summary(r));
        return out;
    }

    /** "12 files checked (static rules + trace + round trip, PostgreSQL 15) in 1.32s: 2 errors, 1 warning". */
    public static String summary(CheckResult r) {
        return r.checked().size() + " file" + (r.checked().size() == 1 ? "" : "s") + " checked ("
                + (r.traced() ? "static rules + trace on a scratch database" : "static rules only") + ", PostgreSQL " + r.pgMajor()
                + ") in " + seconds(r.took().toMillis()) + ": "
                + plural(r.count(Severity.ERROR), "error") + ", " + plural(r.count(Severity.WARNING), "warning")
                + (r.count(Severity.INFO) > 0 ? ", " + plural(r.count(Severity.INFO), "note") : "");
    }

    /**
     * {@code ms} as seconds with two decimals, rounded half up: what {@code String.format(Locale.ROOT, "%.2fs", ms / 1000.0)}
     * prints, without the Formatter (its first use loads locale data: a twentieth of a static check's start-up).
     */
    static String seconds(long ms) {
        long cs = (ms + 5) / 10;
        long frac = cs % 100;
        return cs / 100 + (frac < 10 ? ".0" : ".") + frac + "s";
    }

    private static String plural(long n, String w) {
        return n + " " + w + (n == 1 ? "" : "s");
    }

    /** {@code {"ok", "exitCode", "pgMajor", "traced", "checked", "findings": [...]}}. */
    public static Map<String, Object> json(CheckResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", r.exitCode() == 0);
        m.put("exitCode", r.exitCode());
        m.put("pgMajor", r.pgMajor());
        m.put("traced", r.traced());
        m.put("tookMs", r.took().toMillis());
        m.put("checked", r.checked());
        m.put("errors", r.count(Severity.ERROR));
        m.put("warnings", r.count(Severity.WARNING));
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Finding f : r.findings()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("rule", f.rule());
            RuleId id = RuleId.find(f.rule());
            o.put("name", id == null ? null : id.slug());
            o.put("severity", f.severity().label());
            o.put("file", f.file());
            o.put("line", f.line());
            o.put("message", f.message());
            o.put("lock", f.lock());
            o.put("table", f.table());
            o.put("impact", f.impact());
            o.put("safeAlternative", f.safeAlternative());
            o.put("docs", id == null ? null : id.docPath());
            fs.add(o);
        }
        m.put("findings", fs);
        return m;
    }

    /** GitHub Actions workflow commands: {@code ::error file=F,line=L,title=RW101 ...::message}. */
    public static List<String> github(CheckResult r) {
        List<String> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            String level = f.severity() == Severity.ERROR ? "error" : f.severity() == Severity.WARNING ? "warning" : "notice";
            RuleId id = RuleId.find(f.rule());
            String title = f.rule() + " " + (id == null ? "" : id.title());
            String msg = f.message() + "." + (f.lock() == null ? "" : " Lock: " + f.lock() + ".") + (f.impact() == null ? "" : " Impact: " + f.impact() + ".")
                    + " Safe: " + f.safeAlternative();
            out.add("::" + level + " file=" + prop(f.file()) + (f.line() > 0 ? ",line=" + f.line() : "") + ",title=" + prop(title) + "::"
                    + data(msg));
        }
        out.add(summary(r));
        return out;
    }

    // https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData / escapeProperty)
    private static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String prop(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }

    /** The rule ids that occur in {@code r}, for SARIF's rule table. */
    static Set<String> rulesUsed(CheckResult r) {
        Set<String> s = new TreeSet<>();
        r.findings().forEach(f -> s.add(f.rule()));
        return s;
    }
}
