package dev.runway.bench.corpus;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-file runners that split a file into an up and a down section with comment markers: goose
 * ({@code -- +goose Up}), dbmate ({@code -- migrate:up}) and sql-migrate ({@code -- +migrate Up}).
 */
final class MarkerReader {
    private static final Pattern LEADING_DIGITS = Pattern.compile("^([0-9]+).*");

    /** One runner's marker syntax. */
    private record Syntax(Pattern up, Pattern down, Pattern noTxBoth, String noTxOption) {
    }

    private static final Syntax GOOSE = new Syntax(
            Pattern.compile("^--\\s*\\+goose\\s+up\\s*$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^--\\s*\\+goose\\s+down\\s*$", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^--\\s*\\+goose\\s+no\\s+transaction\\s*$", Pattern.CASE_INSENSITIVE), null);
    /** dbmate's markers: {@code (?m)^--\s*migrate:up(\s*$|\s+\S+)}, options such as {@code transaction:false}. */
    private static final Syntax DBMATE = new Syntax(Pattern.compile("^--\\s*migrate:up(?:\\s+(.*))?$"),
            Pattern.compile("^--\\s*migrate:down(?:\\s+(.*))?$"), null, "transaction:false");
    /**
     * sql-migrate's markers: a line starting {@code "-- +migrate "} whose first word is exactly {@code Up} or
     * {@code Down}, later words options; any other word ({@code Down;}) is not a marker and its lines stay in
     * the current section (its sqlparse.ParseMigration).
     */
    private static final Syntax SQL_MIGRATE = new Syntax(Pattern.compile("^-- \\+migrate\\s+Up(?:\\s+(.*))?$"),
            Pattern.compile("^-- \\+migrate\\s+Down(?:\\s+(.*))?$"), null, "notransaction");

    private MarkerReader() {
    }

    /** goose: {@code <version>_<name>.sql} in numeric version order; {@code .go} migrations cannot run here. */
    static ReferenceHistory goose(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : PairedReader.list(dir)) {
            String n = p.getFileName().toString();
            if (n.endsWith(".go") && LEADING_DIGITS.matcher(n).matches()) {
                skipped.add(n + " (goose Go migration: no SQL client can run it)");
            } else if (n.endsWith(".sql") && LEADING_DIGITS.matcher(n).matches()) {
                files.add(p);
            } else {
                skipped.add(n + " (not a goose migration)");
            }
        }
        files.sort(Comparator.comparing(MarkerReader::leadingNumber));
        return parseAll(dir, files, GOOSE, skipped);
    }

    /** dbmate: {@code <version>_<name>.sql}, in file-name order. */
    static ReferenceHistory dbmate(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : PairedReader.list(dir)) {
            String n = p.getFileName().toString();
            if (n.endsWith(".sql") && LEADING_DIGITS.matcher(n).matches()) {
                files.add(p);
            } else {
                skipped.add(n + " (not a dbmate migration)");
            }
        }
        return parseAll(dir, files, DBMATE, skipped);
    }

    /** sql-migrate: every {@code .sql}; numeric prefixes compare as numbers, then by name (its Migration.Less). */
    static ReferenceHistory sqlMigrate(Path dir) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : PairedReader.list(dir)) {
            if (p.getFileName().toString().endsWith(".sql")) {
                files.add(p);
            } else {
                skipped.add(p.getFileName() + " (not .sql)");
            }
        }
        files.sort(MarkerReader::sqlMigrateOrder);
        return parseAll(dir, files, SQL_MIGRATE, skipped);
    }

    private static int sqlMigrateOrder(Path a, Path b) {
        String x = a.getFileName().toString();
        String y = b.getFileName().toString();
        boolean xn = LEADING_DIGITS.matcher(x).matches();
        boolean yn = LEADING_DIGITS.matcher(y).matches();
        if (xn && yn) {
            int c = leadingNumber(a).compareTo(leadingNumber(b));
            if (c != 0) {
                return c;
            }
        } else if (xn != yn) {
            return xn ? -1 : 1;
        }
        return x.compareTo(y);
    }

    private static BigInteger leadingNumber(Path p) {
        Matcher m = LEADING_DIGITS.matcher(p.getFileName().toString());
        return m.matches() ? new BigInteger(m.group(1)) : BigInteger.ZERO;
    }

    private static ReferenceHistory parseAll(Path dir, List<Path> files, Syntax syntax, List<String> skipped)
            throws IOException {
        List<RefMigration> out = new ArrayList<>();
        for (Path f : files) {
            String name = dir.relativize(f).toString();
            List<String> lines = SqlText.lines(PairedReader.read(f));
            int up = -1;
            int down = -1;
            boolean upTx = true;
            boolean downTx = true;
            boolean noTxBoth = false;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).stripTrailing();
                Matcher u = syntax.up().matcher(l);
                Matcher d = syntax.down().matcher(l);
                if (up < 0 && u.matches()) {
                    up = i;
                    upTx = !hasOption(u, syntax);
                } else if (up >= 0 && down < 0 && d.matches()) {
                    down = i;
                    downTx = !hasOption(d, syntax);
                } else if (syntax.noTxBoth() != null && syntax.noTxBoth().matcher(l).matches()) {
                    noTxBoth = true;
                }
            }
            if (up < 0) {
                skipped.add(name + " (no up marker: the runner refuses it)");
                continue;
            }
            int upEnd = down < 0 ? lines.size() : down;
            Matcher v = LEADING_DIGITS.matcher(f.getFileName().toString());
            String id = v.matches() ? v.group(1) : name;
            out.add(new RefMigration(id, name, SqlText.keep(lines, up + 1, upEnd), upTx && !noTxBoth, down < 0 ? null : name,
                    down < 0 ? null : SqlText.keep(lines, down + 1, lines.size()), downTx && !noTxBoth));
        }
        return new ReferenceHistory(out, skipped);
    }

    private static boolean hasOption(Matcher m, Syntax syntax) {
        if (syntax.noTxOption() == null || m.groupCount() < 1 || m.group(1) == null) {
            return false;
        }
        return Arrays.asList(m.group(1).trim().split("\\s+")).contains(syntax.noTxOption());
    }
}
