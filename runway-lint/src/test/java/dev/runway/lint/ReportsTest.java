package dev.runway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lint.report.Reports;
import dev.runway.lint.report.Sarif;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output formats: text blocks, JSON fields, SARIF 2.1.0 structure, GitHub workflow-command escaping. */
class ReportsTest {
    private static final Finding F = new Finding("RW101", Severity.ERROR, "migrations/2025_a,b.sql", 3,
            "CREATE INDEX on orders without CONCURRENTLY blocks writes for the whole build", "SHARE on orders", "orders",
            "builds an index over orders, 12 GB, ~48,000,000 rows, under SHARE", RuleId.RW101.safeAlternative());
    private static final CheckResult R = new CheckResult(List.of(F), List.of("migrations/2025_a,b.sql"), true, 15, Duration.ofMillis(1234));

    @Test
    void text() {
        List<String> t = Reports.text(R);
        assertThat(t.get(0)).isEqualTo("migrations/2025_a,b.sql:3: error RW101 index-not-concurrent: " + F.message());
        assertThat(t).contains("    lock:   SHARE on orders", "    docs:   docs/rules/RW101.md");
        assertThat(t.get(t.size() - 1)).isEqualTo("1 file checked (static rules + trace on a scratch database, PostgreSQL 15) in 1.23s: 1 error, 0 warnings");
    }

    @Test
    void json() {
        Map<String, Object> j = Reports.json(R);
        assertThat(j).containsEntry("ok", false).containsEntry("exitCode", 3).containsEntry("errors", 1L);
        @SuppressWarnings("unchecked")
        Map<String, Object> f = ((List<Map<String, Object>>) j.get("findings")).get(0);
        assertThat(f).containsEntry("rule", "RW101").containsEntry("line", 3).containsEntry("table", "orders")
                .containsEntry("lock", "SHARE on orders").containsKey("impact").containsKey("safeAlternative");
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarif() {
        Map<String, Object> s = Sarif.tree(R, "0.1.0");
        assertThat(s).containsEntry("version", "2.1.0").containsEntry("$schema", Sarif.SCHEMA);
        Map<String, Object> run = ((List<Map<String, Object>>) s.get("runs")).get(0);
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) driver.get("rules");
        assertThat(rules).hasSize(RuleId.values().length);
        Map<String, Object> res = ((List<Map<String, Object>>) run.get("results")).get(0);
        assertThat(res).containsEntry("ruleId", "RW101").containsEntry("level", "error");
        assertThat(rules.get((Integer) res.get("ruleIndex"))).containsEntry("id", "RW101");
        Map<String, Object> loc = (Map<String, Object>) ((List<Map<String, Object>>) res.get("locations")).get(0).get("physicalLocation");
        assertThat((Map<String, Object>) loc.get("artifactLocation")).containsEntry("uri", "migrations/2025_a,b.sql");
        // the same document every run: keys in a fixed order (Map.of's order changes from one JVM to the next)
        assertThat(((Map<String, Object>) loc.get("artifactLocation")).keySet()).containsExactly("uri", "uriBaseId");
        assertThat(((Map<String, Object>) rules.get(0).get("help")).keySet()).containsExactly("text", "markdown");
        assertThat((Map<String, Object>) loc.get("region")).containsEntry("startLine", 3);
    }

    @Test
    void githubAnnotationsEscapeProperties() {
        String line = Reports.github(R).get(0);
        assertThat(line).startsWith("::error file=migrations/2025_a%2Cb.sql,line=3,title=RW101 Index built without CONCURRENTLY on an existing table::");
        assertThat(line).contains("Impact: builds an index over orders, 12 GB");
    }
}
