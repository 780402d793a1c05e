package dev.runway.bench.corpus;

import dev.runway.migrate.Runway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The corpus harness (issue #10): real migration histories written for other runners, applied as
 * written with psql (the reference) and with Runway (up, down, up), compared by {@code pg_dump
 * --schema-only}. Not a test and not part of {@code mvn verify}: it needs the fetched snapshots.
 *
 * <p>Run from the repository root after {@code mvn -q -B -pl runway-bench -am package -DskipTests}:
 * <pre>
 * java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.corpus.CorpusHarness \
 *     [--manifest runway-bench/corpus.toml] [--only NAME,NAME] [--mirror /work/.mirror] [--out runway-bench/target/corpus]
 *     [--runway-jar runway-cli/target/runway.jar]
 * java -cp ... dev.runway.bench.corpus.CorpusHarness --dir PATH --tool goose [--name NAME] [--setup SQL]...
 * </pre>
 * The manifest names each history by repository, commit and path; the snapshot must have been brought
 * with {@code fetch github:owner/name} (a bare git directory under the mirror root). Writes
 * {@code corpus-results.md} (the table of docs/adoption.md) and, per project, the dumps and diffs.
 */
public final class CorpusHarness {
    private CorpusHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument " + args[i]);
            }
            o.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
        }
        for (String k : o.keySet()) {
            if (!List.of("--manifest", "--only", "--mirror", "--out", "--dir", "--tool", "--name", "--setup", "--pg", "--runway-jar").contains(k)) {
                usage("unknown option " + k);
            }
        }
        Path repo = Path.of("").toAbsolutePath();
        Path jar = repo.resolve(one(o, "--runway-jar", "runway-cli/target/runway.jar"));
        if (!Files.isRegularFile(jar)) {
            usage("run from the repository root after: mvn -q -B -pl runway-bench -am package -DskipTests");
        }
        Path mirror = Path.of(one(o, "--mirror", "/work/.mirror"));
        Path out = repo.resolve(one(o, "--out", "runway-bench/target/corpus"));
        List<ProjectSpec> specs;
        if (o.containsKey("--dir")) {
            String name = one(o, "--name", "adhoc");
            specs = List.of(new ProjectSpec(name, null, null, null, Path.of(one(o, "--dir", null)).toAbsolutePath(),
                    SourceTool.byKey(one(o, "--tool", "golang-migrate")), o.getOrDefault("--setup", List.of()), List.of(), Map.of(), null,
                    one(o, "--pg", null), null, ""));
        } else {
            specs = ProjectSpec.manifest(repo.resolve(one(o, "--manifest", "runway-bench/corpus.toml")));
            if (o.containsKey("--only")) {
                List<String> only = Arrays.asList(one(o, "--only", "").split(","));
                specs = specs.stream().filter(s -> only.contains(s.name())).toList();
            }
        }
        Files.createDirectories(out);
        List<ProjectResult> results = new ArrayList<>();
        for (ProjectSpec s : specs) {
            log("== " + s.name() + " (" + s.tool().key() + ")");
            try {
                results.add(new ProjectRun(s, mirror, jar, out, CorpusHarness::log).run());
            } catch (Exception e) {
                log(s.name() + ": harness error: " + e);
                Step f = Step.failed("harness error: " + e.getMessage());
                Step na = Step.notApplicable(null);
                results.add(new ProjectResult(s, s.commit(), 0, 0, List.of(), List.of(), "", null, f, na, na, na, na, na, na, "", 0));
            }
            write(out, results);
        }
        System.out.println(Files.readString(out.resolve("corpus-results.md")));
    }

    private static void write(Path out, List<ProjectResult> results) throws IOException {
        String md = "Corpus run " + Instant.now() + ", Runway " + Runway.VERSION + "\n\n" + CorpusReport.table(results) + "\n"
                + CorpusReport.details(results);
        Files.writeString(out.resolve("corpus-results.md"), md, StandardCharsets.UTF_8);
    }

    private static String one(Map<String, List<String>> o, String key, String dflt) {
        List<String> v = o.get(key);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    private static void usage(String why) {
        System.err.println("CorpusHarness: " + why + "\nusage: CorpusHarness [--manifest FILE] [--only A,B] [--mirror DIR] [--out DIR] [--runway-jar JAR]\n"
                + "       CorpusHarness --dir PATH --tool golang-migrate|goose|dbmate|sql-migrate|diesel|flyway|liquibase"
                + " [--name N] [--setup SQL]... [--pg MAJOR]");
        System.exit(2);
    }

    static void log(String s) {
        System.err.println("[corpus " + Instant.now().toString().substring(11, 19) + "] " + s);
    }
}
