package dev.runway.migrate.dir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/adoption.md's "Layouts" table has a row for every {@link Layout}, and every fixture it names exists. */
class AdoptionDocsTest {
    @Test
    void everyLayoutHasItsRowAndItsFixture() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "adoption.md"));
        int start = lines.indexOf("## Layouts");
        assertThat(start).as("## Layouts section").isPositive();
        List<String> rows = lines.subList(start, lines.size()).stream().filter(l -> l.startsWith("| ")).toList();
        for (Layout l : Layout.values()) {
            assertThat(rows).as("row for %s", l).anyMatch(r -> r.startsWith("| " + l.label() + " |"));
            if (l != Layout.RUNWAY) {
                String fixture = l.label().toLowerCase().replace(" formatted sql", "");
                assertThat(Path.of("src/test/resources/layouts", fixture)).as("fixture of %s", l).isDirectory();
            }
        }
    }
}
