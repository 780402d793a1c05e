package dev.runway.bench.corpus;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** golang-migrate ({@code <v>_<name>.up.sql}/{@code .down.sql}) and Diesel ({@code <v>_<name>/up.sql}) readers. */
final class PairedReader {
    /** golang-migrate's source parser: {@code ^([0-9]+)_(.*)\.(down|up)\.(.*)$}. */
    private static final Pattern GOLANG = Pattern.compile("^([0-9]+)_(.*)\\.(down|up)\\.sql$");

    private PairedReader() {
    }

    /**
     * golang-migrate: versions are unsigned integers, applied in numeric order; the postgres driver sends
     * each file as one query string, which PostgreSQL runs as one implicit transaction unless the file
     * manages its own, so the reference runs each file as one transaction ({@link Psql} falls back to
     * autocommit for a file PostgreSQL refuses to run in a transaction block, and says so).
     */
    static ReferenceHistory golangMigrate(Path dir) throws IOException {
        Map<BigInteger, String[]> byVersion = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            Matcher m = GOLANG.matcher(name);
            if (!m.matches()) {
                skipped.add(name + " (not <version>_<name>.up|down.sql; golang-migrate ignores it)");
                continue;
            }
            String[] pair = byVersion.computeIfAbsent(new BigInteger(m.group(1)), v -> new String[2]);
            pair[m.group(3).equals("up") ? 0 : 1] = name;
        }
        List<RefMigration> out = new ArrayList<>();
        for (Map.Entry<BigInteger, String[]> e : byVersion.entrySet()) {
            String up = e.getValue()[0];
            String down = e.getValue()[1];
            if (up == null) {
                skipped.add(down + " (a down without an up)");
                continue;
            }
            out.add(new RefMigration(e.getKey().toString(), up, read(dir.resolve(up)), true, down,
                    down == null ? null : read(dir.resolve(down)), true));
        }
        return new ReferenceHistory(out, skipped);
    }

    /**
     * Diesel: every sub-directory holding an {@code up.sql}; the version is the name up to the first
     * {@code _} with dashes removed, compared as a string; {@code metadata.toml} {@code run_in_transaction
     * = false} runs both directions outside a transaction.
     */
    static ReferenceHistory diesel(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("up.sql"))) {
                dirs.add(p);
            } else {
                skipped.add(p.getFileName() + (Files.isDirectory(p) ? "/ (no up.sql)" : " (not a migration folder)"));
            }
        }
        dirs.sort(Comparator.comparing(PairedReader::dieselVersion));
        List<RefMigration> out = new ArrayList<>();
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            boolean tx = true;
            Path meta = d.resolve("metadata.toml");
            if (Files.isRegularFile(meta)) {
                TomlParseResult t = Toml.parse(meta);
                Boolean run = t.getBoolean("run_in_transaction");
                tx = run == null || run;
            }
            Path down = d.resolve("down.sql");
            boolean hasDown = Files.isRegularFile(down);
            out.add(new RefMigration(dieselVersion(d), name + "/up.sql", read(d.resolve("up.sql")), tx,
                    hasDown ? name + "/down.sql" : null, hasDown ? read(down) : null, tx));
        }
        return new ReferenceHistory(out, skipped);
    }

    private static String dieselVersion(Path d) {
        String n = d.getFileName().toString();
        int u = n.indexOf('_');
        return (u < 0 ? n : n.substring(0, u)).replace("-", "");
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
