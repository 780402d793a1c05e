package dev.runway.lint.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * squawk (npm squawk-cli), the benchmark peer: runs it on the corpus files and scores it with the same
 * labels. A file counts as flagged when squawk reports any violation. Files that carry a Runway
 * nolint are left out of its score (squawk cannot read them). Found at -Dsquawk.bin, $SQUAWK_BIN,
 * target/squawk/node_modules/.bin/squawk or /tmp/squawk/node_modules/.bin/squawk.
 */
final class Squawk {
    /** squawk's timeout and style rules, left out of the "structural" configuration. */
    static final String NOISE = "require-lock-timeout,require-statement-timeout,require-timeout-settings,prefer-robust-stmts,"
            + "prefer-text-field,prefer-timestamptz,prefer-bigint-over-smallint";
    private static final Pattern LINE = Pattern.compile("^(?:.*/)?([^/:]+\\.sql):\\d+:\\d+: \\w+: (\\S+) .*");

    /** Scores: [default, structural], or null when squawk is not installed. */
    record Result(String version, Scores defaults, Scores structural, long defaultMs) {
    }

    private Squawk() {
    }

    static Path binary() {
        List<String> c = new ArrayList<>();
        c.add(System.getProperty("squawk.bin"));
        c.add(System.getenv("SQUAWK_BIN"));
        c.add("target/squawk/node_modules/.bin/squawk");
        c.add("/tmp/squawk/node_modules/.bin/squawk");
        for (String s : c) {
            if (s != null && Files.isExecutable(Path.of(s))) {
                return Path.of(s);
            }
        }
        return null;
    }

    static Result score(List<CorpusCase> cases) {
        Path bin = binary();
        if (bin == null) {
            return null;
        }
        List<Path> files = new ArrayList<>();
        cases.stream().filter(k -> !k.suppressed()).forEach(k -> files.add(k.path()));
        long t0 = System.nanoTime();
        Map<String, Set<String>> d = run(bin, files, null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Set<String>> s = run(bin, files, NOISE);
        return new Result(version(bin), scores(cases, d), scores(cases, s), ms);
    }

    private static Scores scores(List<CorpusCase> cases, Map<String, Set<String>> got) {
        Scores sc = new Scores();
        for (CorpusCase c : cases) {
            if (!c.suppressed()) {
                sc.addFileOnly(c.name(), !c.expected().isEmpty(), !got.getOrDefault(c.name(), Set.of()).isEmpty());
            }
        }
        return sc;
    }

    /** squawk's rule names per file name. */
    static Map<String, Set<String>> run(Path bin, List<Path> files, String exclude) {
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--reporter", "gcc"));
        if (exclude != null) {
            cmd.add("--exclude=" + exclude);
        }
        files.forEach(f -> cmd.add(f.toString()));
        Map<String, Set<String>> out = new HashMap<>();
        for (String line : exec(cmd).split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                out.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return out;
    }

    static String version(Path bin) {
        return exec(List.of(bin.toString(), "--version")).trim();
    }

    private static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.MINUTES);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
