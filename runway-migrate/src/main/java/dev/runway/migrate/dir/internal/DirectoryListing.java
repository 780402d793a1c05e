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
        // java.io.File lists the names in one native call (no Path per entry): cheaper in a cold JVM
        String[] listed = new java.io.File(dir.toString()).list();
        if (listed == null) {
            throw RunwayException.usage(dir + ": cannot list directory (not a directory, or not readable)");
        }
        java.util.Arrays.sort(listed);
        List<String> names = java.util.Arrays.asList(listed);
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
                FileName f = FileName.folder(name);
                if (f != null) {
                    addUp(ups, folder(dir, name, f));
                }
                continue;
            }
            if (!sqlName) {
                continue;
            }
            FileName f = FileName.flyway(name);
            if (f != null) {
                Source s = new Source(MigrationVersion.parse(f.version), f.description, Format.FLYWAY, p, name, null, null);
                if (f.up) {
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
            f = FileName.paired(name);
            if (f != null) {
                Source s = new Source(MigrationVersion.parse(f.version), f.description, Format.PAIRED, p, name, null, null);
                if (f.up) {
                    addUp(ups, s);
                } else {
                    downs.add(s);
                }
                continue;
            }
            f = FileName.nativeFile(name);
            if (f != null) {
                addUp(ups, new Source(MigrationVersion.parse(f.version), f.description, Format.NATIVE, p, name, null, null));
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

    private static Source folder(Path dir, String name, FileName n) {
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
        return new Source(MigrationVersion.parse(n.version), n.description, Format.FOLDER, up, name + "/up.sql",
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
            FileName d = FileName.folder(rel.substring(0, slash));
            String f = rel.substring(slash + 1);
            if (d != null && (f.equals("up.sql") || f.equals("down.sql"))) {
                return new SortKey(MigrationVersion.parse(d.version), f.equals("up.sql") ? 0 : 1);
            }
        } else {
            FileName f = FileName.flyway(rel);
            if (f == null) {
                f = FileName.paired(rel);
            }
            if (f == null) {
                f = FileName.nativeFile(rel);
            }
            if (f != null) {
                return new SortKey(MigrationVersion.parse(f.version), f.up ? 0 : 1);
            }
        }
        throw RunwayException.usage(rel + ": not a migration file name; " + FORMS);
    }

    /**
     * A migration file or folder name taken apart by hand (a cold JVM runs regular expressions in
     * the interpreter, and a release looks at every name). The forms, as patterns:
     * Flyway {@code [VU](\d+([._]\d+)*)__(.+)\.sql}, paired {@code (\d+(\.\d+)*)_(.+)\.(up|down)\.sql},
     * native {@code (\d+(\.\d+)*)_(.+)\.sql}, folder {@code (\d+(\.\d+)*)_(.+)}, where {@code \d} is
     * an ASCII digit and {@code .+} any non-empty text without a line break.
     */
    static final class FileName {
        final String version;
        final String description;
        final boolean up;

        private FileName(String version, String description, boolean up) {
            this.version = version;
            this.description = description;
            this.up = up;
        }

        /** {@code V1.2__name.sql} / {@code U1_2__name.sql} (version with '_' turned into '.'), else null. */
        static FileName flyway(String name) {
            if (name.length() < 2 || (name.charAt(0) != 'V' && name.charAt(0) != 'U')) {
                return null;
            }
            int end = versionEnd(name, 1, true);
            if (end < 0 || !name.startsWith("__", end)) {
                return null;
            }
            String description = middle(name, end + 2, ".sql");
            return description == null ? null
                    : new FileName(name.substring(1, end).replace('_', '.'), description, name.charAt(0) == 'V');
        }

        /** {@code 1_name.up.sql} / {@code 1_name.down.sql}, else null. */
        static FileName paired(String name) {
            int end = versionEnd(name, 0, false);
            if (end < 0 || end >= name.length() || name.charAt(end) != '_') {
                return null;
            }
            String description = middle(name, end + 1, ".up.sql");
            if (description != null) {
                return new FileName(name.substring(0, end), description, true);
            }
            description = middle(name, end + 1, ".down.sql");
            return description == null ? null : new FileName(name.substring(0, end), description, false);
        }

        /** {@code 1_name.sql}, else null. */
        static FileName nativeFile(String name) {
            return underscored(name, ".sql");
        }

        /** {@code 1_name} (a folder), else null. */
        static FileName folder(String name) {
            return underscored(name, "");
        }

        private static FileName underscored(String name, String suffix) {
            int end = versionEnd(name, 0, false);
            if (end < 0 || end >= name.length() || name.charAt(end) != '_') {
                return null;
            }
            String description = middle(name, end + 1, suffix);
            return description == null ? null : new FileName(name.substring(0, end), description, true);
        }

        /**
         * The end of {@code \d+(SEP\d+)*} starting at {@code from} (SEP is '.', or '.' and '_' for
         * Flyway), or -1 when no digit is there. A separator not followed by a digit is not taken.
         */
        private static int versionEnd(String s, int from, boolean underscore) {
            int i = digits(s, from);
            if (i == from) {
                return -1;
            }
            while (i + 1 < s.length()) {
                char c = s.charAt(i);
                if (c != '.' && !(underscore && c == '_')) {
                    break;
                }
                int next = digits(s, i + 1);
                if (next == i + 1) {
                    break;
                }
                i = next;
            }
            return i;
        }

        private static int digits(String s, int from) {
            int i = from;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            return i;
        }

        /** The non-empty text between {@code from} and the final {@code suffix}, without line breaks, else null. */
        private static String middle(String s, int from, String suffix) {
            int end = s.length() - suffix.length();
            if (end <= from || !s.endsWith(suffix)) {
                return null;
            }
            for (int i = from; i < end; i++) {
                char c = s.charAt(i);
                if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                    return null;
                }
            }
            return s.substring(from, end);
        }
    }
}
