package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the migration files of one directory by name (contents are not read). Accepted forms:
 * {@code <version>_<name>.sql} (native), {@code <version>_<name>.up.sql} + {@code .down.sql},
 * {@code <version>_<name>/up.sql} + {@code down.sql}, Flyway's {@code V<version>__<name>.sql} +
 * {@code U<version>__<name>.sql}. Other {@code .sql} files are errors; other files, dot files and
 * directories that are not {@code <version>_<name>} (such as {@code data/}) are ignored.
 */
public final class DirectoryListing {
    static final String FORMS = "use 20250301120000_name.sql, 20250301120000_name.up.sql (+ .down.sql), "
            + "20250301120000_name/up.sql (+ down.sql) or Flyway's V1.2__name.sql (+ U1.2__name.sql)";
    private static final Pattern FLYWAY = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final Pattern PAIRED = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)\\.(up|down)\\.sql");
    private static final Pattern NATIVE = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)\\.sql");
    private static final Pattern FOLDER = Pattern.compile("(\\d+(?:\\.\\d+)*)_(.+)");

    /** The file layouts Runway reads. */
    public enum Format {
        NATIVE, PAIRED, FOLDER, FLYWAY
    }

    /**
     * One migration's files.
     *
     * @param upName   path of the up file relative to the directory, with {@code /}
     * @param downFile null when there is no separate down file
     * @param downName null when there is no separate down file
     */
    public record Source(MigrationVersion version, String description, Format format, Path upFile, String upName,
                         Path downFile, String downName) {
    }

    private DirectoryListing() {
    }

    /** The migrations of {@code dir} in version order; errors name files as {@code dir.resolve(name)}. */
    public static List<Source> list(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, dir + ": cannot list directory (" + e + ")", e);
        }
        names.sort(null);
        Map<MigrationVersion, Source> ups = new TreeMap<>();
        List<Source> downs = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith(".")) {
                continue;
            }
            Path p = dir.resolve(name);
            boolean sqlName = name.toLowerCase(Locale.ROOT).endsWith(".sql");
            // Only names that could be migration folders cost a stat; a directory named *.sql fails when read.
            if (!sqlName && Files.isDirectory(p)) {
                Matcher m = FOLDER.matcher(name);
                if (m.matches()) {
                    addUp(ups, folder(dir, name, m));
                }
                continue;
            }
            if (!sqlName) {
                continue;
            }
            Matcher m = FLYWAY.matcher(name);
            if (m.matches()) {
                Source s = new Source(MigrationVersion.parse(m.group(2).replace('_', '.')), m.group(3), Format.FLYWAY,
                        p, name, null, null);
                if (m.group(1).equals("V")) {
                    addUp(ups, s);
                } else {
                    downs.add(s);
                }
                continue;
            }
            if (name.startsWith("R__")) {
                throw RunwayException.usage(p + ": repeatable migrations (R__) are not supported; "
                        + "give it a version (V<version>__name.sql) and write a new version for each change");
            }
            m = PAIRED.matcher(name);
            if (m.matches()) {
                Source s = new Source(MigrationVersion.parse(m.group(1)), m.group(2), Format.PAIRED, p, name, null, null);
                if (m.group(3).equals("up")) {
                    addUp(ups, s);
                } else {
                    downs.add(s);
                }
                continue;
            }
            m = NATIVE.matcher(name);
            if (m.matches()) {
                addUp(ups, new Source(MigrationVersion.parse(m.group(1)), m.group(2), Format.NATIVE, p, name, null, null));
                continue;
            }
            throw RunwayException.usage(p + ": not a migration file name; " + FORMS);
        }
        for (Source d : downs) {
            Source up = ups.get(d.version());
            boolean paired = up != null && up.format() == d.format()
                    && (d.format() == Format.FLYWAY || up.description().equals(d.description()));
            if (!paired) {
                String expected = d.format() == Format.FLYWAY ? "V" + d.version() + "__" + d.description() + ".sql"
                        : d.upName().replace(".down.sql", ".up.sql");
                throw RunwayException.usage(d.upFile() + ": down migration without its up migration " + expected);
            }
            if (up.downFile() != null) {
                throw RunwayException.usage(dir.resolve(d.upName()) + ": version " + d.version() + " already has a down file, "
                        + up.downName());
            }
            ups.put(up.version(), new Source(up.version(), up.description(), up.format(), up.upFile(), up.upName(),
                    d.upFile(), d.upName()));
        }
        return new ArrayList<>(ups.values());
    }

    private static Source folder(Path dir, String name, Matcher m) {
        Path folder = dir.resolve(name);
        Path up = folder.resolve("up.sql");
        Path down = folder.resolve("down.sql");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.toLowerCase(Locale.ROOT).endsWith(".sql") && !f.equals("up.sql") && !f.equals("down.sql")
                        && !f.startsWith(".")) {
                    throw RunwayException.usage(p + ": only up.sql and down.sql are read in a migration folder");
                }
            }
        } catch (IOException e) {
            throw new RunwayException(dev.runway.core.ErrorCode.USAGE, folder + ": cannot list directory (" + e + ")", e);
        }
        if (!Files.isRegularFile(up)) {
            throw RunwayException.usage(folder + "/: migration folder has no up.sql"
                    + (Files.exists(down) ? " (down.sql without up.sql)" : ""));
        }
        boolean hasDown = Files.isRegularFile(down);
        return new Source(MigrationVersion.parse(m.group(1)), m.group(2), Format.FOLDER, up, name + "/up.sql",
                hasDown ? down : null, hasDown ? name + "/down.sql" : null);
    }

    private static void addUp(Map<MigrationVersion, Source> ups, Source s) {
        Source other = ups.putIfAbsent(s.version(), s);
        if (other != null) {
            throw RunwayException.usage("duplicate migration version " + s.version() + ": " + other.upFile() + " and "
                    + s.upFile() + "; give one of them a new version");
        }
    }
    /**
     * Orders paths relative to a migration directory (with {@code /}) by version, each up file before
     * its down file.
     *
     * @throws RunwayException (USAGE) for a path that is not a migration file name
     */
    public static java.util.Comparator<String> fileOrder() {
        return java.util.Comparator.comparing((String rel) -> sortKey(rel).version())
                .thenComparingInt(rel -> sortKey(rel).rank())
                .thenComparing(rel -> rel);
    }

    private record SortKey(MigrationVersion version, int rank) {
    }

    private static SortKey sortKey(String rel) {
        int slash = rel.indexOf('/');
        if (slash > 0) {
            Matcher m = FOLDER.matcher(rel.substring(0, slash));
            String f = rel.substring(slash + 1);
            if (m.matches() && (f.equals("up.sql") || f.equals("down.sql"))) {
                return new SortKey(MigrationVersion.parse(m.group(1)), f.equals("up.sql") ? 0 : 1);
            }
        } else {
            Matcher m = FLYWAY.matcher(rel);
            if (m.matches()) {
                return new SortKey(MigrationVersion.parse(m.group(2).replace('_', '.')), m.group(1).equals("V") ? 0 : 1);
            }
            m = PAIRED.matcher(rel);
            if (m.matches()) {
                return new SortKey(MigrationVersion.parse(m.group(1)), m.group(3).equals("up") ? 0 : 1);
            }
            m = NATIVE.matcher(rel);
            if (m.matches()) {
                return new SortKey(MigrationVersion.parse(m.group(1)), 0);
            }
        }
        throw RunwayException.usage(rel + ": not a migration file name; " + FORMS);
    }
}
