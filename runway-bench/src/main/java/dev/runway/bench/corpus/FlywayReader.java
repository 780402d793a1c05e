package dev.runway.bench.corpus;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Flyway's SQL-based migrations: {@code V<version>__<desc>.sql} anywhere below the location (Flyway scans
 * recursively), {@code U<version>__} undo files as downs, {@code R__<desc>.sql} repeatables after all
 * versioned ones (ordered by description), a {@code <file>.conf} with {@code executeInTransaction=false},
 * and {@code ${placeholder}} replacement.
 */
final class FlywayReader {
    private static final Pattern NAME = Pattern.compile("^([VUR])([^_]*(?:_[^_]+)*?)__(.*)\\.sql$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private FlywayReader() {
    }

    /** One script found below the location. */
    private record Script(char kind, String version, String desc, Path path) {
    }

    /**
     * @param placeholders values of {@code ${name}}; null turns replacement off (Flyway's
     *                     {@code placeholderReplacement=false})
     * @throws IllegalArgumentException naming file:line for a placeholder with no value (Flyway refuses it too)
     */
    static ReferenceHistory read(Path dir, Map<String, String> placeholders) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Script> scripts = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        for (Path p : all) {
            String n = p.getFileName().toString();
            Matcher m = NAME.matcher(n);
            if (n.endsWith(".sql.conf")) {
                continue;
            }
            if (!m.matches() || (m.group(1).equals("R") ? !m.group(2).isEmpty() : !m.group(2).matches("[0-9][0-9._]*"))) {
                skipped.add(dir.relativize(p) + " (not a Flyway SQL migration name)");
                continue;
            }
            scripts.add(new Script(m.group(1).charAt(0), m.group(2).replace('_', '.'), m.group(3).replace('_', ' '), p));
        }
        Map<String, Script> undo = new HashMap<>();
        List<Script> versioned = new ArrayList<>();
        List<Script> repeatable = new ArrayList<>();
        for (Script s : scripts) {
            if (s.kind() == 'U') {
                undo.put(canonical(s.version()), s);
            } else if (s.kind() == 'V') {
                versioned.add(s);
            } else {
                repeatable.add(s);
            }
        }
        versioned.sort(Comparator.comparing(Script::version, FlywayReader::compareVersions));
        repeatable.sort(Comparator.comparing(Script::desc));
        List<RefMigration> out = new ArrayList<>();
        for (Script v : versioned) {
            Script u = undo.get(canonical(v.version()));
            out.add(new RefMigration(v.version(), rel(dir, v), text(dir, v, placeholders), transactional(v), u == null ? null
                    : rel(dir, u), u == null ? null : text(dir, u, placeholders), u == null || transactional(u)));
        }
        for (Script r : repeatable) {
            out.add(new RefMigration("R__" + r.desc(), rel(dir, r), text(dir, r, placeholders), transactional(r), null, null,
                    true));
        }
        return new ReferenceHistory(out, skipped);
    }

    private static String rel(Path dir, Script s) {
        return dir.relativize(s.path()).toString();
    }

    private static boolean transactional(Script s) throws IOException {
        Path conf = s.path().resolveSibling(s.path().getFileName() + ".conf");
        if (!Files.isRegularFile(conf)) {
            return true;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(conf)) {
            p.load(in);
        }
        return !"false".equalsIgnoreCase(p.getProperty("executeInTransaction", "true").trim());
    }

    private static String text(Path dir, Script s, Map<String, String> placeholders) throws IOException {
        String t = PairedReader.read(s.path());
        if (placeholders == null) {
            return t;
        }
        Map<String, String> values = new HashMap<>(placeholders);
        values.putIfAbsent("flyway:defaultSchema", "public");
        values.putIfAbsent("flyway:user", "postgres");
        values.putIfAbsent("flyway:table", "flyway_schema_history");
        values.putIfAbsent("flyway:filename", s.path().getFileName().toString());
        List<String> lines = SqlText.lines(t);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(lines.get(i));
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                String v = values.get(m.group(1));
                if (v == null) {
                    throw new IllegalArgumentException(rel(dir, s) + ":" + (i + 1) + ": no value for placeholder ${" + m.group(1)
                            + "} (Flyway refuses it too)");
                }
                m.appendReplacement(line, Matcher.quoteReplacement(v));
            }
            m.appendTail(line);
            b.append(line);
            if (i < lines.size() - 1) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    /** Flyway's version order: dot-separated parts compared as integers, trailing zeros insignificant. */
    static int compareVersions(String a, String b) {
        List<BigInteger> x = parts(a);
        List<BigInteger> y = parts(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            BigInteger p = i < x.size() ? x.get(i) : BigInteger.ZERO;
            BigInteger q = i < y.size() ? y.get(i) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String canonical(String v) {
        List<BigInteger> p = new ArrayList<>(parts(v));
        while (p.size() > 1 && p.get(p.size() - 1).signum() == 0) {
            p.remove(p.size() - 1);
        }
        return p.stream().map(BigInteger::toString).collect(Collectors.joining("."));
    }

    private static List<BigInteger> parts(String v) {
        return Arrays.stream(v.split("\\.")).filter(s -> !s.isEmpty()).map(BigInteger::new).collect(Collectors.toList());
    }
}
