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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database's schema as {@code pg_dump --schema-only} prints it, normalised for comparison: one block
 * per object (pg_dump's table-of-contents entries), comments and preamble dropped, blocks sorted, so
 * only real differences remain. Runway's own tables ({@code runway_*}) and the history
 * tables of the other runners are excluded. Immutable.
 */
final class SchemaDump {
    /** Tables that record which migrations ran, not the schema the migrations build. */
    static final List<String> HISTORY_TABLES = List.of("*.runway_*", "*.flyway_schema_history", "*.goose_db_version",
            "*.gorp_migrations", "*.__diesel_schema_migrations", "*.databasechangelog", "*.databasechangeloglock");

    private static final Pattern HEADER = Pattern.compile("^Name: (.*); Type: (.*); Schema: (.*)$");

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

    /**
     * One block per pg_dump table-of-contents entry: its {@code -- Name: x; Type: T; Schema: s} header
     * (owner dropped) and its SQL, so a function body with blank lines stays one block. Comments, the
     * {@code SET}/{@code set_config} preamble and {@code \restrict} lines are dropped.
     */
    static SchemaDump parse(String dump) {
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = null;
        for (String l : dump.split("\n", -1)) {
            if (l.startsWith("-- Name: ")) {
                add(blocks, cur);
                String header = l.substring(3);
                int owner = header.indexOf("; Owner:");
                cur = new StringBuilder(owner < 0 ? header : header.substring(0, owner)).append('\n');
            } else if (cur != null && !l.startsWith("--") && !l.startsWith("SET ") && !l.startsWith("SELECT pg_catalog.set_config(")
                    && !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")) {
                cur.append(l).append('\n');
            }
        }
        add(blocks, cur);
        Collections.sort(blocks);
        return new SchemaDump(List.copyOf(blocks));
    }

    private static void add(List<String> blocks, StringBuilder b) {
        if (b != null) {
            blocks.add(b.toString().strip() + "\n");
        }
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

        /** "TYPE schema.name" from a block's pg_dump header, else its first line. */
        private static String firstLine(String block) {
            String l = block.lines().findFirst().orElse("").trim();
            Matcher m = HEADER.matcher(l);
            if (m.matches()) {
                l = m.group(2) + " " + (m.group(3).equals("-") ? "" : m.group(3) + ".") + m.group(1);
            }
            return l.length() > 90 ? l.substring(0, 90) + "…" : l;
        }
    }
}
