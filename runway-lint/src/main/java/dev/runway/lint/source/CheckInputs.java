package dev.runway.lint.source;

import dev.runway.core.RunwayException;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.Mode;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.lint.internal.source.SqlFiles;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.dir.Placeholders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which migrations {@code check} replays and which it checks.
 *
 * <p>Runway mode with a migration directory: the directory is loaded (its loader validates markers,
 * directives and transaction modes); with no files named, every migration is checked; with files, the
 * migrations before the first named one are replayed and the named ones checked (unnamed ones in
 * between are replayed too and their findings dropped by the caller via {@link #checkedFiles}).
 * Plain mode: with files named inside the directory, the migrations before them are replayed too (the directory
 * read by Runway's loader when it can, else its SQL files in name order); otherwise, and for files outside the
 * directory, each file is read as plain SQL, in the order given.
 *
 * @param earlier replayed, not checked
 * @param checked checked, in order
 * @param checkedFiles the files whose findings are reported
 */
public record CheckInputs(List<CheckedMigration> earlier, List<CheckedMigration> checked, List<String> checkedFiles) {

    public static CheckInputs select(Mode mode, Path dir, List<Path> files) {
        return select(mode, dir, files, Placeholders.NONE);
    }

    /**
     * {@link #select(Mode, Path, List)}, filling Flyway's and Liquibase's {@code ${name}} from {@code placeholders}.
     * In plain mode, named files inside {@code dir} are checked against the schema the directory's earlier
     * migrations build, as in Runway mode: read by Runway's loader when the directory is in a layout it knows
     * (any runner's), else as plain SQL files in name order.
     */
    public static CheckInputs select(Mode mode, Path dir, List<Path> files, Placeholders placeholders) {
        boolean inDir = Files.isDirectory(dir);
        for (Path f : files) {
            inDir = inDir && inside(dir, f); // a loop, not a stream and a lambda: the static check's path links none
        }
        if (mode == Mode.PLAIN && inDir && !files.isEmpty()) {
            return plainWithHistory(dir, files, placeholders);
        }
        List<CheckedMigration> checked = new ArrayList<>();
        if (mode != Mode.RUNWAY || !inDir) {
            for (Path p : files.isEmpty() ? sqlFiles(dir) : files) {
                CheckedMigration m = SqlFiles.read(p, p.toString());
                checked.add(mode == Mode.RUNWAY ? SqlFiles.forRunway(m) : m);
            }
            return new CheckInputs(List.of(), checked, checked.stream().map(CheckedMigration::file).toList());
        }
        CheckInputs in = fromDirectory(Migrations.of(MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, placeholders).migrations()), files);
        if (in == null) {
            throw RunwayException.usage("some files are not migrations of " + dir + "; check plain SQL files with --mode plain");
        }
        return in;
    }

    /**
     * The migrations before the first named file are replayed, the rest checked, findings kept for the named ones;
     * null when some named file is not one of {@code all}'s.
     */
    private static CheckInputs fromDirectory(List<CheckedMigration> all, List<Path> files) {
        List<String> named = new ArrayList<>();
        int first = files.isEmpty() ? 0 : all.size();
        for (int i = 0; i < all.size(); i++) {
            String f = all.get(i).file();
            if (files.isEmpty() || files.stream().anyMatch(g -> same(g, f))) {
                named.add(f);
                String down = all.get(i).downFile();
                if (down != null && !down.equals(f)) {
                    named.add(down); // findings about a broken down section point into the down file
                }
                first = Math.min(first, i);
            }
        }
        if (!files.isEmpty() && named.stream().filter(n -> files.stream().anyMatch(g -> same(g, n))).count() < files.size()) {
            return null;
        }
        return new CheckInputs(all.subList(0, first), all.subList(first, all.size()), named);
    }

    /**
     * Plain mode with files of {@code dir}: the directory read by Runway's loader when it can (so a golang-migrate
     * or goose directory replays its up sections only), else its {@code .sql} files as plain SQL in name order.
     */
    private static CheckInputs plainWithHistory(Path dir, List<Path> files, Placeholders placeholders) {
        try {
            CheckInputs in = fromDirectory(Migrations.of(MigrationDirectory.loadUnhashed(dir, MigrationKind.SCHEMA, placeholders).migrations()),
                    files);
            if (in != null) {
                return in;
            }
        } catch (RunwayException notALayout) {
            // plain SQL files that no runner's layout describes (no markers, free names): read them as they are
        }
        List<Path> all = sqlFiles(dir);
        int first = all.size();
        for (int i = 0; i < all.size(); i++) {
            Path p = all.get(i);
            if (files.stream().anyMatch(g -> same(g, p.toString()))) {
                first = Math.min(first, i);
            }
        }
        List<CheckedMigration> earlier = new ArrayList<>();
        for (Path p : all.subList(0, first)) {
            earlier.add(SqlFiles.read(p, p.toString()));
        }
        List<CheckedMigration> checked = new ArrayList<>();
        for (Path p : files) {
            checked.add(SqlFiles.read(p, p.toString()));
        }
        return new CheckInputs(earlier, checked, checked.stream().map(CheckedMigration::file).toList());
    }

    private static boolean inside(Path dir, Path f) {
        return f.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize());
    }

    private static boolean same(Path given, String file) {
        return given.toAbsolutePath().normalize().equals(Path.of(file).toAbsolutePath().normalize());
    }

    private static List<Path> sqlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw RunwayException.usage(dir + ": cannot list (" + e.getMessage() + "); pass files or --dir");
        }
    }
}
