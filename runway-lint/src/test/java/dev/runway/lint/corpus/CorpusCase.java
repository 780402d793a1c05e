package dev.runway.lint.corpus;

import dev.runway.lint.CheckedMigration;
import dev.runway.lint.Mode;
import dev.runway.lint.internal.source.SqlFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** One labelled corpus file: its expected rule ids (empty = safe) and the mode it is checked in. */
record CorpusCase(Path path, String name, Set<String> expected, Mode mode, boolean suppressed, boolean dynamicOnly,
                  boolean heldOut, CheckedMigration migration) {
    static final Path DIR = Path.of("src/test/resources/corpus");
    static final Path BASE = Path.of("src/test/resources/corpus-base.sql");

    static List<CorpusCase> load() {
        List<CorpusCase> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                String text = Files.readString(p);
                Set<String> exp = new TreeSet<>();
                Mode mode = Mode.RUNWAY;
                for (String line : text.split("\n")) {
                    if (line.startsWith("-- expect:")) {
                        for (String id : line.substring("-- expect:".length()).split(",")) {
                            if (!id.isBlank() && !id.trim().equals("none")) {
                                exp.add(id.trim());
                            }
                        }
                    } else if (line.startsWith("-- corpus-mode: plain")) {
                        mode = Mode.PLAIN;
                    }
                }
                String name = p.getFileName().toString();
                out.add(new CorpusCase(p, name, exp, mode, text.contains("runway:nolint"), text.contains("-- corpus-note: dynamic only"),
                        text.contains("-- corpus-note: held-out"), SqlFiles.parse(text, "corpus/" + name)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static CheckedMigration base() {
        return SqlFiles.read(BASE, "corpus-base.sql");
    }
}
