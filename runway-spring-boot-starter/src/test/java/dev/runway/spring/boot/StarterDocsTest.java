package dev.runway.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/datasource.md's table of {@code runway.*} settings lists exactly the properties of the
 * starter's configuration metadata (generated from {@link RunwayProperties}), each with the
 * environment variable Spring binds to it, and the defaults the metadata knows.
 */
class StarterDocsTest {
    private static final Pattern ROW = Pattern.compile("^\\| `(runway\\.[a-z.-]+)` \\| `([A-Z_]+)` \\| ([^|]+) \\|");
    private static final Map<String, String> FLY = Map.of("runway.database-url", "DATABASE_URL", "runway.region", "FLY_REGION",
            "runway.primary-region", "PRIMARY_REGION");

    @Test
    void settingsTableMatchesTheMetadata() throws Exception {
        JsonNode meta = new ObjectMapper().readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile());
        Map<String, String> known = new TreeMap<>();
        for (JsonNode p : meta.get("properties")) {
            known.put(p.get("name").asText(), p.has("defaultValue") ? p.get("defaultValue").asText() : null);
        }
        Map<String, String[]> documented = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "datasource.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.put(m.group(1), new String[] {m.group(2), m.group(3).trim()});
            }
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(known.keySet());
        documented.forEach((name, row) -> {
            String env = FLY.getOrDefault(name, name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            assertThat(row[0]).as("environment variable of %s", name).isEqualTo(env);
            String dflt = known.get(name);
            if (dflt != null) {
                assertThat(row[1]).as("default of %s", name).isEqualTo("`" + dflt + "`");
            }
        });
    }
}
