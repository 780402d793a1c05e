package dev.runway.lint.report;

import dev.runway.lint.CheckResult;
import dev.runway.lint.Finding;
import dev.runway.lint.RuleId;
import dev.runway.lint.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) as a map tree:
 * one run, tool {@code runway}, every rule in {@code tool.driver.rules} with its help text, one result
 * per finding with {@code ruleIndex}, level, message and a physical location relative to the
 * working directory ({@code %SRCROOT%}). GitHub code scanning accepts it as is. Stateless.
 */
public final class Sarif {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private Sarif() {
    }

    public static Map<String, Object> tree(CheckResult r, String toolVersion) {
        List<Object> rules = new ArrayList<>();
        for (RuleId id : RuleId.values()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", id.id());
            rule.put("name", id.slug());
            rule.put("shortDescription", Map.of("text", id.title()));
            rule.put("fullDescription", Map.of("text", id.why()));
            rule.put("help", pair("text", "Safe alternative: " + id.safeAlternative(),
                    "markdown", "**Why:** " + id.why() + "\n\n**Safe alternative:** " + id.safeAlternative()));
            rule.put("properties", Map.of("docs", id.docPath()));
            rule.put("defaultConfiguration", Map.of("level", level(id.defaultSeverity())));
            rules.add(rule);
        }
        List<Object> results = new ArrayList<>();
        for (Finding f : r.findings()) {
            RuleId id = RuleId.find(f.rule());
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("ruleId", f.rule());
            if (id != null) {
                res.put("ruleIndex", id.ordinal());
            }
            res.put("level", level(f.severity()));
            StringBuilder msg = new StringBuilder(f.message()).append('.');
            if (f.lock() != null) {
                msg.append(" Lock: ").append(f.lock()).append('.');
            }
            if (f.impact() != null) {
                msg.append(" Impact: ").append(f.impact()).append('.');
            }
            msg.append(" Safe alternative: ").append(f.safeAlternative());
            res.put("message", Map.of("text", msg.toString()));
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("startLine", Math.max(1, f.line()));
            Map<String, Object> phys = new LinkedHashMap<>();
            phys.put("artifactLocation", pair("uri", f.file().replace('\\', '/'), "uriBaseId", "%SRCROOT%"));
            phys.put("region", region);
            res.put("locations", List.of(Map.of("physicalLocation", phys)));
            Map<String, Object> props = new LinkedHashMap<>();
            if (f.table() != null) {
                props.put("table", f.table());
            }
            if (f.lock() != null) {
                props.put("lock", f.lock());
            }
            if (!props.isEmpty()) {
                res.put("properties", props);
            }
            results.add(res);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "runway");
        driver.put("version", toolVersion);
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        root.put("runs", List.of(run));
        return root;
    }

    static String level(Severity s) {
        return s == Severity.ERROR ? "error" : s == Severity.WARNING ? "warning" : "note";
    }

    /** Two keys in this order (Map.of's order differs from one run to the next, and so would the document). */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
