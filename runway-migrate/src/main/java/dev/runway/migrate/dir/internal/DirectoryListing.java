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
 * Finds the migration files of one directory by name (contents are not read, except the first line of a
 * {@code .sql} file whose name fits no form, to find a Liquibase changelog). Accepted forms:
 * {@code <version>_<name>.sql} (one file: Runway, goose, dbmate, sql-migrate), {@code <version>_<name>.up.sql}
 * + {@code .down.sql} (golang-migrate), {@code <version>_<name>/up.sql} + {@code down.sql} (Diesel; the
 * version may have dashes, {@code 2019-02-26-002946_x/}, and counts without them), Flyway's
 * {@code V<version>__<name>.sql} + {@code U<version>__<name>.sql} and {@code R__<name>.sql} (repeatable),
 * found in subfolders too, at any depth, as Flyway does, and Liquibase formatted SQL changelogs of any name, in
 * subfolders too (as Liquibase's {@code includeAll} reads them), ordered by path.
 * Other files, dot files and the {@code data/} subfolder (the data migrations) are ignored; a {@code .sql}
 * file of another name is an error, except next to Diesel folders (Diesel reads only folders).
 */
public final class DirectoryListing {
    static final String FORMS = "use 20250301120000_name.sql, 20250301120000_name.up.sql (+ .down.sql), "
            + "20250301120000_name/up.sql (+ down.sql), Flyway's V1.2__name.sql (+ U1.2__name.sql) or R__name.sql, "
            + "or a Liquibase changelog starting '--liquibase formatted sql'";
    /** The subfolder of a schema migrations directory that holds the data migrations, never searched for Flyway files. */
    static final String DATA_DIR = "data";

    /** The file layouts Runway reads. */
    public enum Format {
        NATIVE, PAIRED, FOLDER, FLYWAY,
        /** A Liquibase formatted SQL changelog: many migrations, one per changeset; {@link Source#version()} is null. */
        LIQUIBASE
    }

    /**
     * One migration's files.
     *
     * @param version  null for a Liquibase changelog (its changesets get theirs from {@code DirectoryIndex})
     * @param upName   path of the up file relative to the directory, with {@code /}
     * @param downFile null when there is no separate down file
     * @param downName null when there is no separate down file
     */
    public record Source(MigrationVersion version, String description, Format format, Path upFile, String upName,
                         Path downFile, String downName) {
    }

    private DirectoryListing() {
    }

    /** The migrations of {@code dir} in version order (Liquibase changelogs last, in name order). */
    public static List<Source> list(Path dir) {
        Map<MigrationVersion, Source> ups = new TreeMap<>();
        List<Source> downs = new ArrayList<>();
        List<Source> changelogs = new ArrayList<>();
        List<Path> unnamed = new ArrayList<>();
        boolean[] folders = {false};
        listInto(dir, dir, "", ups, downs, changelogs, unnamed, folders);
        for (Path p : unnamed) {
            if (Liquibase.isChangelog(p)) {
                String rel = slashed(dir.relativize(p));
                changelogs.add(new Source(null, rel, Format.LIQUIBASE, p, rel, null, null));
            } else if (!folders[0]) {
                throw RunwayException.usage(p + ": not a migration file name; " + FORMS);
            }
            // next to Diesel folders a loose .sql file is not a migration (Diesel reads only folders)
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
        List<Source> out = new ArrayList<>(ups.values());
        if (changelogs.size() > 1) { // the comparator's method reference is linked only when there is something to sort
            changelogs.sort(java.util.Comparator.comparing(Source::upName));
        }
        out.addAll(changelogs);
        return out;
    }

    /**
     * Lists {@code folder} ({@code prefix} is its path relative to the top, with a trailing {@code /}, or empty at
     * the top). Below the top only Flyway names count, as Flyway searches its locations.
     */
    private static void listInto(Path top, Path folder, String prefix, Map<MigrationVersion, Source> ups, List<Source> downs,
                                 List<Source> changelogs, List<Path> unnamed, boolean[] folders) {
        // java.io.File lists the names in one native call (no Path per entry): cheaper in a cold JVM
        String[] listed = new java.io.File(folder.toString()).list();
        if (listed == null) {
            throw RunwayException.usage(folder + ": cannot list directory (not a directory, or not readable)");
        }
        java.util.Arrays.sort(listed);
        boolean topLevel = prefix.isEmpty();
        for (String name : listed) {
            if (name.startsWith(".")) {
                continue;
            }
            Path p = folder.resolve(name);
            String rel = prefix + name;
            boolean sqlName = name.toLowerCase(Locale.ROOT).endsWith(".sql");
            // Only names that could be folders cost a stat; a directory named *.sql fails when read.
            if (!sqlName && Files.isDirectory(p)) {
                FileName f = topLevel ? FileName.folder(name) : null;
                if (f != null && (Files.exists(p.resolve("up.sql")) || Files.exists(p.resolve("down.sql")))) {
                    addUp(ups, folder(folder, name, f));
                    folders[0] = true;
                } else if (!(topLevel && name.equals(DATA_DIR))) {
                    listInto(top, p, rel + "/", ups, downs, changelogs, unnamed, folders);
                }
                continue;
            }
            if (!sqlName) {
                continue;
            }
            FileName f = FileName.flyway(name);
            if (f != null) {
                Source s = new Source(MigrationVersion.parse(f.version), f.description, Format.FLYWAY, p, rel, null, null);
                if (f.up) {
                    addUp(ups, s);
                } else {
                    downs.add(s);
                }
                continue;
            }
            String repeatable = FileName.repeatable(name);
            if (repeatable != null) {
                addUp(ups, new Source(MigrationVersion.repeatable(repeatable), repeatable, Format.FLYWAY, p, rel, null, null));
                continue;
            }
            if (!topLevel) {
                if (Liquibase.isChangelog(p)) {
                    changelogs.add(new Source(null, rel, Format.LIQUIBASE, p, rel, null, null)); // includeAll descends too
                }
                continue; // below the top only Flyway files and Liquibase changelogs are migrations
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
            unnamed.add(p);
        }
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
     * {@code rel}'s names joined with {@code /}, as runway.sum and the history write them on every OS.
     * Only the platform's separators split it: on Linux a backslash is part of a file's name.
     */
    public static String slashed(Path rel) {
        if (rel.getNameCount() <= 1) {
            return rel.toString();
        }
        StringBuilder b = new StringBuilder();
        for (Path name : rel) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(name);
        }
        return b.toString();
    }

    /**
     * Orders paths relative to a migration directory (with {@code /}) by version, each up file before
     * its down file.
     *
     * @throws RunwayException (USAGE) for a path that is not a migration file name
     */
    public static java.util.Comparator<String> fileOrder() {
        return java.util.Comparator.comparingInt((String rel) -> sortKey(rel).group())
                .thenComparing(rel -> sortKey(rel).version(), java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
                .thenComparingInt(rel -> sortKey(rel).rank())
                .thenComparing(rel -> rel);
    }

    /** group 0: versioned and repeatable migrations (by version); 1: Liquibase changelogs and other files (by name). */
    private record SortKey(int group, MigrationVersion version, int rank) {
    }

    private static SortKey sortKey(String rel) {
        int slash = rel.indexOf('/');
        if (slash > 0) {
            FileName d = FileName.folder(rel.substring(0, slash));
            String f = rel.substring(slash + 1);
            if (d != null && (f.equals("up.sql") || f.equals("down.sql"))) {
                return new SortKey(0, MigrationVersion.parse(d.version), f.equals("up.sql") ? 0 : 1);
            }
        } else {
            FileName f = FileName.paired(rel);
            if (f == null) {
                f = FileName.nativeFile(rel);
            }
            if (f != null) {
                return new SortKey(0, MigrationVersion.parse(f.version), f.up ? 0 : 1);
            }
        }
        String last = rel.substring(rel.lastIndexOf('/') + 1);
        FileName f = FileName.flyway(last);
        if (f != null) {
            return new SortKey(0, MigrationVersion.parse(f.version), f.up ? 0 : 1);
        }
        String repeatable = FileName.repeatable(last);
        if (repeatable != null) {
            return new SortKey(0, MigrationVersion.repeatable(repeatable), 0);
        }
        return new SortKey(1, null, 0);
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

        /**
         * {@code 1_name} (a folder), else null. Diesel's dashed versions ({@code 2019-02-26-002946_name},
         * {@code 2026-07-30-140000-0000_name}) are read without the dashes, as Diesel records them.
         */
        static FileName folder(String name) {
            FileName f = underscored(name, "");
            if (f != null) {
                return f;
            }
            int i = digits(name, 0);
            if (i == 0) {
                return null;
            }
            StringBuilder v = new StringBuilder(name.substring(0, i));
            while (i + 1 < name.length() && name.charAt(i) == '-') {
                int next = digits(name, i + 1);
                if (next == i + 1) {
                    return null;
                }
                v.append(name, i + 1, next);
                i = next;
            }
            if (i >= name.length() || name.charAt(i) != '_' || v.length() == i) {
                return null; // no dash at all is the plain form above
            }
            String description = middle(name, i + 1, "");
            return description == null ? null : new FileName(v.toString(), description, true);
        }

        /** The description of Flyway's repeatable {@code R__name.sql}, else null. */
        static String repeatable(String name) {
            return name.startsWith("R__") ? middle(name, 3, ".sql") : null;
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
