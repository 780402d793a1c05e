package dev.runway.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.cli.config.Setting;
import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The plugin's parameters are the CLI's settings: every {@link Setting} is a parameter of every goal,
 * named after its runway.toml key in camel case, settable as {@code -Drunway.<name>}, and passed on
 * as the setting's own flag. Reads the plugin descriptor Maven itself uses (generated before tests).
 */
class SettingParametersTest {
    static String parameterName(Setting s) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : s.key().toCharArray()) {
            if (c == '_' || c == '.' || c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    @Test
    void everyGoalHasAParameterAndAPropertyForEverySetting() throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("target/classes/META-INF/maven/plugin.xml").toFile());
        NodeList mojos = d.getElementsByTagName("mojo");
        List<String> goals = new ArrayList<>();
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            String goal = mojo.getElementsByTagName("goal").item(0).getTextContent();
            goals.add(goal);
            Map<String, String> expressions = new java.util.HashMap<>();
            NodeList config = ((Element) mojo.getElementsByTagName("configuration").item(0)).getChildNodes();
            for (int j = 0; j < config.getLength(); j++) {
                if (config.item(j) instanceof Element) {
                    Element e = (Element) config.item(j);
                    expressions.put(e.getTagName(), e.getTextContent());
                }
            }
            for (Setting s : dev.runway.cli.Main.settingsOf(goal)) {
                String name = parameterName(s);
                assertThat(expressions).as(goal + " has parameter " + name + " for " + s.flag()).containsKey(name);
                assertThat(expressions.get(name)).as(goal + "." + name).isEqualTo("${runway." + name + "}");
            }
        }
        assertThat(goals).containsExactlyInAnyOrder("check", "migrate", "status", "hash", "verify");
    }

    @Test
    void everyParameterIsPassedAsItsSettingsFlag() throws Exception {
        MigrateMojo mojo = new MigrateMojo();
        mojo.basedir = new File("/project");
        java.util.Set<Setting> all = new java.util.HashSet<>();
        for (String goal : List.of("check", "migrate", "status", "hash", "verify")) {
            all.addAll(dev.runway.cli.Main.settingsOf(goal));
        }
        for (Setting s : all) {
            Field f = RunwayMojo.class.getDeclaredField(parameterName(s));
            f.set(mojo, f.getType() == Boolean.class ? Boolean.TRUE : "/abs/" + s.key());
        }
        Map<Setting, String> flags = mojo.flags();
        assertThat(flags.keySet()).containsExactlyInAnyOrderElementsOf(all);
        List<String> args = mojo.commonArgs();
        for (Setting s : dev.runway.cli.Main.settingsOf("migrate")) {
            assertThat(args).as(s.name()).contains(s.flag());
        }
        assertThat(args).as("check's setting is not passed to migrate").doesNotContain(Setting.GATE_SMALL_TABLE.flag());
        assertThat(args.stream().collect(Collectors.joining(" "))).contains("--dir /abs/dir").contains("--allow-out-of-order --placeholder-replacement");
    }

    @Test
    void relativeDirectoriesResolveAgainstTheProjectNotTheWorkingDirectory() {
        MigrateMojo mojo = new MigrateMojo();
        mojo.basedir = new File("/work/app");
        mojo.dir = "db/migrations";
        assertThat(String.join(" ", mojo.commonArgs())).contains("--dir /work/app/db/migrations");
        MigrateMojo byDefault = new MigrateMojo();
        byDefault.basedir = new File("/work/app");
        assertThat(String.join(" ", byDefault.commonArgs())).contains("--dir /work/app/migrations");
    }
}
