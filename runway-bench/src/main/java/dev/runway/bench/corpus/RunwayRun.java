package dev.runway.bench.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runway's side of one history, through the real command line on a copy of the directory, in a
 * database {@code corpus_rw}: {@code hash}, {@code migrate} (= psql's schema?), {@code rollback --to}
 * the start of the reference's down scope (= psql's schema after its downs?), {@code migrate} again
 * (= psql's schema?); and {@code check --static} on another copy. Not thread-safe.
 */
final class RunwayRun {
    private final ProjectLab p;
    private final ProjectSpec spec;
    private final Path jar;
    private final Path work;

    RunwayRun(ProjectLab p, ProjectSpec spec, Path jar, Path work) {
        this.p = p;
        this.spec = spec;
        this.jar = jar;
        this.work = work;
    }

    /** What Runway's runs produced. */
    static final class RunwaySide {
        Step hash = Step.notApplicable(null);
        Step up = Step.notApplicable(null);
        Step down = Step.notApplicable(null);
        Step reUp = Step.notApplicable(null);
    }

    RunwaySide run(Path dir, ReferenceRun.Reference ref) throws Exception {
        RunwaySide s = new RunwaySide();
        Path rwRoot = Files.createDirectories(work.resolve("rw"));
        Path rwDir = rwRoot.resolve("migrations");
        copy(dir, rwDir);
        List<String> common = new ArrayList<>(List.of("--dir", rwDir.toString()));
        if (spec.runwayToml() != null) {
            Path toml = rwRoot.resolve("runway.toml");
            Files.writeString(toml, spec.runwayToml(), StandardCharsets.UTF_8);
            common.addAll(List.of("--config", toml.toString()));
        }
        RunwayCli cli = new RunwayCli(jar, rwRoot);
        RunwayCli.Result hash = cli.run("hash", concat(List.of("hash"), common));
        s.hash = hash.ok() ? Step.ok() : Step.failed(hash.error());
        p.log.accept("  runway hash: " + s.hash.cell());
        if (!hash.ok()) {
            return s;
        }
        String db = "corpus_rw";
        p.fresh(db);
        List<String> target = concat(common, List.of("--url", "postgres://postgres@" + p.lab.primary().host() + ":"
                + p.lab.primary().port() + "/" + db, "--format", "json"));
        List<String> migrate = spec.upTo() == null ? List.of("migrate") : List.of("migrate", "--to", spec.upTo());
        RunwayCli.Result up = cli.run("migrate", concat(migrate, target));
        if (!ref.up.isOk()) {
            // Nothing to compare with: say whether Runway stops too, and where.
            s.up = Step.notApplicable(up.ok() ? "psql's ups fail; Runway applied them" : "psql's ups fail; so does Runway: " + failure(up));
        } else {
            s.up = up.ok() ? p.compare(ref.schema, "psql's", p.dump(db, ("runway.sql")), "Runway's",
                    "runway-up") : Step.failed(failure(up));
        }
        p.log.accept("  runway migrate: " + s.up.cell());
        if (ref.downScope.isEmpty()) {
            s.down = Step.notApplicable(ref.down.detail());
            s.reUp = Step.notApplicable(null);
        } else if (up.ok()) {
            RunwayCli.Result down = cli.run("rollback", concat(List.of("rollback", "--to", ref.downTo), target));
            SchemaDump want = ref.afterDown != null ? ref.afterDown : ref.beforeTail;
            s.down = down.ok() ? p.compare(want, ref.afterDown != null ? "psql's after the downs" : "the schema before those ups",
                    p.dump(db, ("runway-after-down.sql")), "Runway's after rollback", "runway-down")
                    : Step.failed(failure(down));
            if (down.ok() && down.json() != null && down.json().has("applied")) {
                s.down = new Step(s.down.state(), (s.down.detail() == null ? "" : s.down.detail() + "; ") + "rolled back "
                        + down.json().path("applied").asInt());
            }
            p.log.accept("  runway rollback --to " + ref.downTo + ": " + s.down.cell());
            if (down.ok()) {
                RunwayCli.Result again = cli.run("migrate-again", concat(migrate, target));
                s.reUp = again.ok() ? p.compare(ref.schema, "psql's", p.dump(db, ("runway-reup.sql")),
                        "Runway's after down and up", "runway-reup") : Step.failed(failure(again));
                p.log.accept("  runway migrate again: " + s.reUp.cell());
            } else {
                s.reUp = Step.notApplicable("the rollback failed");
            }
        } else {
            s.down = Step.notApplicable("migrate failed");
            s.reUp = Step.notApplicable(null);
        }
        p.lab.dropDatabase(db);
        return s;
    }

    /** The failed migration (file, line) and the error, from the JSON document. */
    static String failure(RunwayCli.Result r) {
        JsonNode ms = r.json() == null ? null : r.json().path("migrations");
        if (ms != null && ms.isArray()) {
            for (JsonNode m : ms) {
                if ("failed".equals(m.path("status").asText())) {
                    return r.clean(m.path("file").asText() + (m.has("failed_line") ? ":" + m.path("failed_line").asText() : "")
                            + ": " + m.path("error").asText().replaceAll("\\s+", " ") + " (exit " + r.exit() + ")");
                }
            }
        }
        return r.error();
    }

    String check(Path dir) throws Exception {
        Path root = Files.createDirectories(work.resolve("check"));
        Path d = root.resolve("migrations");
        copy(dir, d);
        RunwayCli cli = new RunwayCli(jar, root);
        RunwayCli.Result hash = cli.run("hash", List.of("hash", "--dir", d.toString()));
        if (!hash.ok()) {
            return "not run (" + hash.error() + ")";
        }
        RunwayCli.Result r = cli.run("check", List.of("check", "--static", "--dir", d.toString(), "--format", "json"));
        if (r.json() == null || !r.json().has("findings")) {
            return (r.exit() == 2 ? "refused the directory (" : "**crashed** (") + r.error() + ")";
        }
        Map<String, Integer> rules = new TreeMap<>();
        for (JsonNode f : r.json().path("findings")) {
            rules.merge(f.path("rule").asText(), 1, Integer::sum);
        }
        return "exit " + r.exit() + ", " + r.json().path("errors").asInt() + " errors, " + r.json().path("warnings").asInt()
                + " warnings" + (rules.isEmpty() ? "" : " " + rules);
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.collect(Collectors.toList())) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
