package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Liquibase formatted SQL as an {@code includeAll} changelog reads it: every {@code .sql} file below
 * the directory whose first line is {@code --liquibase formatted sql}, in path order; each
 * {@code --changeset author:id} is one migration, {@code --rollback} lines its down,
 * {@code runInTransaction:false} its transaction opt-out; changesets limited by {@code dbms:} to other
 * databases are left out. A changeset's id here is {@code <changelog>.<changeset>}, both places counted
 * from 1 (the changelog among the formatted-SQL files in path order, the changeset in its file), the
 * version Runway gives it (docs/adoption.md, "Layouts").
 */
final class LiquibaseReader {
    private static final Pattern HEADER = Pattern.compile("^--\\s*liquibase\\s+formatted\\s+sql.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern CHANGESET = Pattern.compile("^--\\s*changeset\\s+(\\S+)(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ROLLBACK = Pattern.compile("^--\\s*rollback\\s?(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DBMS = Pattern.compile("\\bdbms:(\\S+)", Pattern.CASE_INSENSITIVE);

    private LiquibaseReader() {
    }

    static ReferenceHistory read(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        List<RefMigration> out = new ArrayList<>();
        int changelog = 0;
        for (Path f : files) {
            String name = dir.relativize(f).toString();
            if (!name.endsWith(".sql")) {
                skipped.add(name + " (not .sql)");
                continue;
            }
            List<String> lines = SqlText.lines(PairedReader.read(f));
            if (lines.isEmpty() || !HEADER.matcher(lines.get(0).trim()).matches()) {
                skipped.add(name + " (no --liquibase formatted sql header)");
                continue;
            }
            changelog++;
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (CHANGESET.matcher(lines.get(i).trim()).matches()) {
                    starts.add(i);
                }
            }
            for (int c = 0; c < starts.size(); c++) {
                int from = starts.get(c);
                int to = c + 1 < starts.size() ? starts.get(c + 1) : lines.size();
                Matcher m = CHANGESET.matcher(lines.get(from).trim());
                m.matches();
                String attrs = m.group(2).toLowerCase(Locale.ROOT);
                Matcher dbms = DBMS.matcher(attrs);
                if (dbms.find() && !dbms.group(1).contains("postgresql") && !dbms.group(1).contains("all")) {
                    skipped.add(name + ":" + (from + 1) + " changeset " + m.group(1) + " (dbms:" + dbms.group(1) + ")");
                    continue;
                }
                boolean tx = !attrs.contains("runintransaction:false");
                String down = rollback(lines, from + 1, to);
                out.add(new RefMigration(changelog + "." + (c + 1), name, SqlText.keep(lines, from + 1, to), tx,
                        down == null ? null : name, down, tx));
            }
        }
        return new ReferenceHistory(out, skipped);
    }

    /** The {@code --rollback} lines of a changeset, line-aligned; null when it has none. */
    private static String rollback(List<String> lines, int from, int to) {
        List<String> aligned = new ArrayList<>(lines.size());
        boolean any = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = i >= from && i < to ? ROLLBACK.matcher(lines.get(i).trim()) : null;
            if (m != null && m.matches()) {
                String sql = m.group(1);
                any = true;
                aligned.add(sql.trim().equalsIgnoreCase("not required") || sql.trim().equalsIgnoreCase("empty") ? "" : sql);
            } else {
                aligned.add("");
            }
        }
        return any ? String.join("\n", aligned) : null;
    }
}
