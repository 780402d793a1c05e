package dev.runway.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** docs/distribution.md's parameter table lists exactly the plugin's parameters, goals and properties. */
class PluginDocsTest {
    @Test
    void theParameterTableMatchesThePluginDescriptor() throws Exception {
        Map<String, TreeSet<String>> fromPlugin = new TreeMap<>();
        Map<String, String> properties = new HashMap<>();
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
        NodeList mojos = d.getElementsByTagName("mojo");
        TreeSet<String> allGoals = new TreeSet<>();
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = mojo.getElementsByTagName("goal").item(0).getTextContent();
            allGoals.add(goal);
            NodeList params = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
            for (int j = 0; j < params.getLength(); j++) {
                Element p = (Element) params.item(j);
                if (p.getElementsByTagName("editable").item(0).getTextContent().equals("true")) {
                    fromPlugin.computeIfAbsent(p.getElementsByTagName("name").item(0).getTextContent(), k -> new TreeSet<>()).add(goal);
                }
            }
            NodeList config = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
            for (int j = 0; j < config.getLength(); j++) {
                if (config.item(j) instanceof Element) {
                    Element e = (Element) config.item(j);
                    String property = e.getTextContent().replaceAll("^\\$\\{(.*)}$", "$1");
                    if (property.startsWith("runway.")) {
                        properties.put(e.getTagName(), property);
                    }
                }
            }
        }
        Map<String, TreeSet<String>> fromDocs = new TreeMap<>();
        Map<String, String> docProperties = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("../docs/distribution.md"))) {
            if (!line.matches("\\| `\\w+` \\|.*")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            String name = cells[1].trim().replace("`", "");
            String property = cells[2].trim().replace("`", "");
            String goals = cells[3].trim();
            if (goals.isEmpty() || goals.contains("runway ")) {
                continue; // another table (artifacts, goals)
            }
            fromDocs.put(name, goals.equals("all") ? new TreeSet<>(allGoals) : new TreeSet<>(java.util.List.of(goals.split(",\\s*"))));
            if (!property.isEmpty()) {
                docProperties.put(name, property);
            }
        }
        assertThat(fromDocs).isEqualTo(fromPlugin);
        for (Map.Entry<String, String> e : docProperties.entrySet()) {
            assertThat(properties.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(docProperties.keySet()).containsExactlyInAnyOrderElementsOf(properties.keySet());
    }
}
