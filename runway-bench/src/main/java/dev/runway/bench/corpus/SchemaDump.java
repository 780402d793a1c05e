package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A database's schema as {@code pg_dump --schema-only} prints it, normalised for comparison: comments,
 * {@code SET}/{@code set_config} preamble and {@code \restrict} lines dropped, blocks (separated by blank
 * lines) sorted, so only real differences remain. Runway's own tables ({@code runway_*}) and the history
 * tables of the other runners are excluded. Immutable.
 */
final class SchemaDump {
    /** Tables that record which migrations ran, not the schema the migrations build. */
    static final List<String> HISTORY_TABLES = List.of("*.runway_*", "*.flyway_schema_history", "*.goose_db_version",
            "*.gorp_migrations", "*.__diesel_schema_migrations", "*.databasechangelog", "*.databasechangeloglock");

    private final List<String> blocks;

    private SchemaDump(List<String> blocks) {
        this.blocks = blocks;
    }

    static SchemaDump of(Path pgDump, String host, int port, String db, Path out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(pgDump.toString(), "--schema-only", "--no-owner",
                "-h", host, "-p", String.valueOf(port), "-U", "postgres", "-d", db, "-f", out.toString()));
        for (String t : HISTORY_TABLES) {
            cmd.add("--exclude-table=" + t);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log")
                .toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("pg_dump of " + db + " failed; see " + out + ".log");
        }
        return parse(Files.readString(out, StandardCharsets.UTF_8));
    }

    static SchemaDump parse(String dump) {
        List<String> kept = new ArrayList<>();
        for (String l : dump.split("\n", -1)) {
            if (l.startsWith("--") || l.startsWith("SET ") || l.startsWith("SELECT pg_catalog.set_config(")
                    || l.startsWith("\\restrict") || l.startsWith("\\unrestrict")) {
                continue;
            }
            kept.add(l);
        }
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String l : kept) {
            if (l.isBlank()) {
                if (cur.length() > 0) {
                    blocks.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(l).append('\n');
            }
        }
        if (cur.length() > 0) {
            blocks.add(cur.toString());
        }
        Collections.sort(blocks);
        return new SchemaDump(List.copyOf(blocks));
    }

    int size() {
        return blocks.size();
    }

    /** Blocks of this dump missing from {@code other} and the reverse; both empty when the schemas are equal. */
    Diff diff(SchemaDump other) {
        return new Diff(minus(blocks, other.blocks), minus(other.blocks, blocks));
    }

    private static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> count = new HashMap<>();
        b.forEach(x -> count.merge(x, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        for (String x : a) {
            Integer n = count.get(x);
            if (n == null || n == 0) {
                out.add(x);
            } else {
                count.put(x, n - 1);
            }
        }
        return out;
    }

    /** What differs between two dumps ({@code left} = this, {@code right} = the other). */
    record Diff(List<String> onlyLeft, List<String> onlyRight) {
        boolean same() {
            return onlyLeft.isEmpty() && onlyRight.isEmpty();
        }

        /** First line of up to {@code n} differing blocks of each side, for a table cell. */
        String summary(int n, String leftName, String rightName) {
            List<String> s = new ArrayList<>();
            onlyLeft.stream().limit(n).forEach(b -> s.add("only in " + leftName + ": " + firstLine(b)));
            onlyRight.stream().limit(n).forEach(b -> s.add("only in " + rightName + ": " + firstLine(b)));
            int more = onlyLeft.size() + onlyRight.size() - s.size();
            return String.join("; ", s) + (more > 0 ? "; +" + more + " more" : "");
        }

        String full(String leftName, String rightName) {
            StringBuilder b = new StringBuilder();
            onlyLeft.forEach(x -> b.append("--- only in ").append(leftName).append('\n').append(x).append('\n'));
            onlyRight.forEach(x -> b.append("+++ only in ").append(rightName).append('\n').append(x).append('\n'));
            return b.toString();
        }

        private static String firstLine(String block) {
            String l = block.lines().findFirst().orElse("").trim();
            return l.length() > 90 ? l.substring(0, 90) + "…" : l;
        }
    }
}
