package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * One history to run, as the manifest ({@code runway-bench/corpus.toml}) or the command line gives it.
 * Immutable.
 *
 * @param name         short name used for databases and files
 * @param repo         GitHub {@code owner/name} of the snapshot ({@code fetch github:owner/name}), or null for {@code dir}
 * @param commit       the commit to read (null: the snapshot's HEAD, recorded in the results)
 * @param path         the migration directory inside the repository
 * @param dir          a local migration directory instead of repo/commit/path
 * @param tool         the runner the files were written for
 * @param setup        SQL run in every fresh database before any migration (what the project does outside its migrations)
 * @param setupFiles   files of the same snapshot run after {@code setup} (e.g. functions another changelog creates)
 * @param placeholders Flyway placeholder values; null when the project turns replacement off
 * @param runwayToml   runway.toml text the Runway runs use, or null
 * @param pg           PostgreSQL major of the lab server, or null for the lab's default
 * @param upTo         the last migration to apply (its tool id; Runway gets it as {@code --to}), or null for all
 * @param notes        free text for the results table
 */
public record ProjectSpec(String name, String repo, String commit, String path, Path dir, SourceTool tool, List<String> setup,
                          List<String> setupFiles,
                          Map<String, String> placeholders, String runwayToml, String pg, String upTo, String notes) {

    /** Reads every {@code [[project]]} of a manifest; unknown keys are errors naming the line. */
    public static List<ProjectSpec> manifest(Path file) throws IOException {
        TomlParseResult t = Toml.parse(file);
        if (t.hasErrors()) {
            throw new IllegalArgumentException(file + ": " + t.errors().get(0));
        }
        TomlArray projects = t.getArray("project");
        List<ProjectSpec> out = new ArrayList<>();
        for (int i = 0; projects != null && i < projects.size(); i++) {
            TomlTable p = projects.getTable(i);
            for (String k : p.keySet()) {
                if (!List.of("name", "repo", "commit", "path", "dir", "tool", "setup", "setup_files", "placeholders", "placeholder_replacement",
                        "runway_toml", "pg", "up_to", "notes").contains(k)) {
                    throw new IllegalArgumentException(file + ":" + p.inputPositionOf(k).line() + ": unknown key " + k);
                }
            }
            List<String> setup = new ArrayList<>();
            TomlArray s = p.getArray("setup");
            for (int j = 0; s != null && j < s.size(); j++) {
                setup.add(s.getString(j));
            }
            List<String> setupFiles = new ArrayList<>();
            TomlArray sf = p.getArray("setup_files");
            for (int j = 0; sf != null && j < sf.size(); j++) {
                setupFiles.add(sf.getString(j));
            }
            Map<String, String> ph = new LinkedHashMap<>();
            TomlTable pt = p.getTable("placeholders");
            if (pt != null) {
                for (String k : pt.keySet()) {
                    ph.put(k, String.valueOf(pt.get(List.of(k))));
                }
            }
            boolean replace = p.getBoolean("placeholder_replacement", () -> true);
            out.add(new ProjectSpec(p.getString("name"), p.getString("repo"), p.getString("commit"), p.getString("path"),
                    p.getString("dir") == null ? null : Path.of(p.getString("dir")), SourceTool.byKey(p.getString("tool")),
                    List.copyOf(setup), List.copyOf(setupFiles), replace ? Map.copyOf(ph) : null, p.getString("runway_toml"), p.getString("pg"), p.getString("up_to"),
                    p.getString("notes", () -> "")));
        }
        return out;
    }

    /** What a team has to give Runway beyond {@code --dir}, for the results table. */
    public String configurationNeeded() {
        List<String> c = new ArrayList<>();
        if (!setup.isEmpty() || !setupFiles.isEmpty()) {
            c.add("setup SQL before migrating (" + setup.size() + " statement" + (setup.size() == 1 ? "" : "s")
                    + (setupFiles.isEmpty() ? "" : " + " + setupFiles.size() + " file(s) of the project") + ")");
        }
        if (placeholders != null && !placeholders.isEmpty()) {
            c.add("placeholders " + String.join(", ", placeholders.keySet()));
        }
        if (upTo != null) {
            c.add("--to " + upTo);
        }
        if (runwayToml != null && !runwayToml.isBlank()) {
            c.add("runway.toml: " + runwayToml.strip().replace("\n", "; "));
        }
        return c.isEmpty() ? "none" : String.join("; ", c);
    }
}
