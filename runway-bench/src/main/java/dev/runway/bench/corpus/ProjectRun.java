package dev.runway.bench.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One history through the whole procedure, on its own lab server (reused for every database):
 * <ol>
 *   <li>reference database: setup, psql ups in the tool's order (dump R), psql downs in reverse (must
 *       return to the baseline dump B), psql ups again (must give R);</li>
 *   <li>Runway database: setup, {@code runway hash}, {@code runway migrate} (must give R),
 *       {@code runway rollback --to 0} (must give B), {@code runway migrate} (must give R);</li>
 *   <li>{@code runway check --static} on the directory, informational.</li>
 * </ol>
 * Roles a history creates are cluster-wide, so the ones the reference created are dropped before the
 * Runway run. Every differing dump is written next to the results.
 */
final class ProjectRun {
    private final ProjectSpec spec;
    private final Path mirror;
    private final Path jar;
    private final Path out;
    private final Consumer<String> log;
    private List<String> setup = List.of();

    ProjectRun(ProjectSpec spec, Path mirror, Path jar, Path out, Consumer<String> log) {
        this.spec = spec;
        this.mirror = mirror;
        this.jar = jar;
        this.out = out;
        this.log = log;
    }

    ProjectResult run() throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("corpus-" + spec.name() + "-");
        Path pdir = Files.createDirectories(out.resolve(spec.name()));
        String commit = spec.commit();
        Path dir = spec.dir();
        if (spec.repo() != null) {
            Snapshot.Export e = Snapshot.export(mirror, spec.repo(), spec.commit(), spec.path(), work.resolve("src"));
            dir = e.dir();
            commit = e.commit();
        }
        setup = new ArrayList<>(spec.setup());
        for (String f : spec.setupFiles()) {
            setup.add(Snapshot.show(mirror, spec.repo(), commit, f));
        }
        ReferenceHistory h;
        try {
            h = upTo(spec.tool().read(dir, spec.placeholders()));
        } catch (IllegalArgumentException e) {
            Step f = Step.failed(e.getMessage());
            return new ProjectResult(spec, commit, 0, 0, List.of(), List.of(), "", null, f, na(), na(), na(), na(), na(), na(), "", secs(t0));
        }
        log.accept(spec.name() + ": " + h.migrations().size() + " migrations (" + h.downs() + " with a down), "
                + h.skipped().size() + " files left out");
        LabConfig.Builder cfg = LabConfig.builder().replicas(0);
        if (spec.pg() != null) {
            cfg.pgVersion(spec.pg());
        }
        try (Lab lab = Lab.start(cfg.build())) {
            Node pg = lab.primary();
            Path bin = lab.binaries().binDir();
            Psql psql = new Psql(bin.resolve("psql"), pg.host(), pg.port(), Files.createDirectories(work.resolve("psql")));
            Set<String> roles = roles(pg);
            Reference ref = reference(lab, psql, h, bin, pdir);
            dropNewRoles(pg, roles);
            RunwaySide rw = runway(lab, psql, dir, work, bin, pdir, ref);
            dropNewRoles(pg, roles);
            String check = check(dir, work);
            keepOutputs(work, pdir);
            return new ProjectResult(spec, commit, h.migrations().size(), h.downs(), h.skipped(), ref.fallbacks, ref.downScope,
                    ref.downFailure, ref.up, ref.down, ref.reUp, rw.hash, rw.up, rw.down, rw.reUp, check, secs(t0));
        }
    }

    /** The history up to and including {@code up_to}; the rest is listed as left out. */
    private ReferenceHistory upTo(ReferenceHistory h) {
        if (spec.upTo() == null) {
            return h;
        }
        List<RefMigration> ms = h.migrations();
        for (int i = 0; i < ms.size(); i++) {
            if (ms.get(i).id().equals(spec.upTo())) {
                List<String> skipped = new ArrayList<>(h.skipped());
                skipped.add(0, (ms.size() - i - 1) + " migrations after " + spec.upTo() + " (up_to)");
                return new ReferenceHistory(ms.subList(0, i + 1), skipped);
            }
        }
        throw new IllegalArgumentException("up_to " + spec.upTo() + " is not a migration of this history");
    }

    /** What the psql reference produced. */
    private static final class Reference {
        Step up;
        Step down;
        Step reUp;
        SchemaDump baseline;
        SchemaDump beforeTail;
        SchemaDump schema;
        SchemaDump afterDown;
        String downScope;
        String downTo;
        String downFailure;
        final List<String> fallbacks = new ArrayList<>();
    }

    /** What Runway's runs produced. */
    private static final class RunwaySide {
        Step hash = na();
        Step up = na();
        Step down = na();
        Step reUp = na();
    }

    private Reference reference(Lab lab, Psql psql, ReferenceHistory h, Path bin, Path pdir) throws Exception {
        Reference r = new Reference();
        String db = "corpus_ref";
        fresh(lab, psql, db);
        r.baseline = dump(lab, bin, db, pdir.resolve("baseline.sql"));
        int from = downFrom(h);
        r.up = ups(psql, db, h.migrations().subList(0, from), r);
        r.beforeTail = from == 0 ? r.baseline : from == h.migrations().size() ? null
                : dump(lab, bin, db, pdir.resolve("reference-before-down-scope.sql"));
        if (r.up.isOk()) {
            r.up = ups(psql, db, h.migrations().subList(from, h.migrations().size()), r);
        }
        r.schema = dump(lab, bin, db, pdir.resolve("reference.sql"));
        log.accept("  psql up: " + r.up.cell());
        List<RefMigration> tail = h.migrations().subList(from, h.migrations().size());
        if (!r.up.isOk()) {
            r.down = na("the ups fail under psql");
            r.reUp = na();
        } else if (tail.isEmpty()) {
            r.down = na(h.downs() == 0 ? "no downs" : "the newest migration has no down");
            r.reUp = na();
        } else {
            int[] failedAt = {-1};
            r.down = downs(psql, db, tail, failedAt);
            List<RefMigration> scope = tail;
            RefMigration before = from == 0 ? null : h.migrations().get(from - 1);
            String why = "the newest without a down";
            if (!r.down.isOk() && tail.get(failedAt[0]).downTx() && failedAt[0] + 1 < tail.size()) {
                // The failed down ran in one transaction, so the database is exactly "the downs above it done":
                // that tail is still a fair down -> up comparison.
                r.downFailure = r.down.detail();
                before = tail.get(failedAt[0]);
                scope = tail.subList(failedAt[0] + 1, tail.size());
                why = "whose down fails under psql";
                r.down = Step.ok();
            }
            if (r.down.isOk()) {
                r.afterDown = dump(lab, bin, db, pdir.resolve("reference-after-down.sql"));
                if (r.downFailure == null) {
                    Step clean = compare(r.beforeTail, "the schema before those ups", r.afterDown, "psql's after the downs", pdir,
                            "reference-down");
                    r.down = clean.isOk() ? Step.ok() : Step.ok("but not back to the schema before: " + clean.detail());
                }
                Step again = ups(psql, db, scope, null);
                r.reUp = again.isOk() ? compare(r.schema, "psql's first up", dump(lab, bin, db, pdir.resolve("reference-reup.sql")),
                        "psql's up after down", pdir, "reference-reup") : again;
            } else {
                r.reUp = na("the downs fail under psql");
            }
            r.downScope = before == null ? "all " + scope.size() : "the last " + scope.size() + " (after " + before.upFile() + " "
                    + before.id() + ", " + why + ")";
            r.downTo = before == null ? "0" : before.id();
            log.accept("  psql down (" + r.downScope + "): " + (r.downFailure == null ? "" : "all: **no**: " + r.downFailure
                    + "; the rest: ") + r.down.cell() + "; psql re-up: " + r.reUp.cell());
        }
        if (r.downScope == null) {
            r.downScope = "";
        }
        lab.dropDatabase(db);
        return r;
    }

    /** Index of the first migration of the longest tail in which every migration has a down. */
    private static int downFrom(ReferenceHistory h) {
        List<RefMigration> ms = h.migrations();
        int from = ms.size();
        while (from > 0 && ms.get(from - 1).down() != null) {
            from--;
        }
        return from;
    }

    private static Step ups(Psql psql, String db, List<RefMigration> ms, Reference r) throws Exception {
        for (RefMigration m : ms) {
            Psql.Result res = psql.run(db, m.upFile(), m.up(), m.upTx());
            if (!res.ok()) {
                return Step.failed(res.error());
            }
            if (res.fellBackToAutocommit() && r != null) {
                r.fallbacks.add(m.upFile());
            }
        }
        return Step.ok();
    }

    /** Runs the downs of {@code ms} newest first; on failure {@code failedAt[0]} is the failing one's index in {@code ms}. */
    private static Step downs(Psql psql, String db, List<RefMigration> ms, int[] failedAt) throws Exception {
        for (int i = ms.size() - 1; i >= 0; i--) {
            RefMigration m = ms.get(i);
            Psql.Result res = psql.run(db, m.downFile(), m.down(), m.downTx());
            if (!res.ok()) {
                failedAt[0] = i;
                return Step.failed(res.error());
            }
        }
        return Step.ok();
    }

    private RunwaySide runway(Lab lab, Psql psql, Path dir, Path work, Path bin, Path pdir, Reference ref) throws Exception {
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
        log.accept("  runway hash: " + s.hash.cell());
        if (!hash.ok()) {
            return s;
        }
        String db = "corpus_rw";
        fresh(lab, psql, db);
        List<String> target = concat(common, List.of("--url", "postgres://postgres@" + lab.primary().host() + ":"
                + lab.primary().port() + "/" + db, "--format", "json"));
        List<String> migrate = spec.upTo() == null ? List.of("migrate") : List.of("migrate", "--to", spec.upTo());
        RunwayCli.Result up = cli.run("migrate", concat(migrate, target));
        if (!ref.up.isOk()) {
            // Nothing to compare with: say whether Runway stops too, and where.
            s.up = na(up.ok() ? "psql's ups fail; Runway applied them" : "psql's ups fail; so does Runway: " + failure(up));
        } else {
            s.up = up.ok() ? compare(ref.schema, "psql's", dump(lab, bin, db, pdir.resolve("runway.sql")), "Runway's", pdir,
                    "runway-up") : Step.failed(failure(up));
        }
        log.accept("  runway migrate: " + s.up.cell());
        if (ref.downScope.isEmpty()) {
            s.down = na(ref.down.detail());
            s.reUp = na();
        } else if (up.ok()) {
            RunwayCli.Result down = cli.run("rollback", concat(List.of("rollback", "--to", ref.downTo), target));
            SchemaDump want = ref.afterDown != null ? ref.afterDown : ref.beforeTail;
            s.down = down.ok() ? compare(want, ref.afterDown != null ? "psql's after the downs" : "the schema before those ups",
                    dump(lab, bin, db, pdir.resolve("runway-after-down.sql")), "Runway's after rollback", pdir, "runway-down")
                    : Step.failed(failure(down));
            if (down.ok() && down.json() != null && down.json().has("applied")) {
                s.down = new Step(s.down.state(), (s.down.detail() == null ? "" : s.down.detail() + "; ") + "rolled back "
                        + down.json().path("applied").asInt());
            }
            log.accept("  runway rollback --to " + ref.downTo + ": " + s.down.cell());
            if (down.ok()) {
                RunwayCli.Result again = cli.run("migrate-again", concat(migrate, target));
                s.reUp = again.ok() ? compare(ref.schema, "psql's", dump(lab, bin, db, pdir.resolve("runway-reup.sql")),
                        "Runway's after down and up", pdir, "runway-reup") : Step.failed(failure(again));
                log.accept("  runway migrate again: " + s.reUp.cell());
            } else {
                s.reUp = na("the rollback failed");
            }
        } else {
            s.down = na("migrate failed");
            s.reUp = na();
        }
        lab.dropDatabase(db);
        return s;
    }

    /** The failed migration (file, line) and the error, from the JSON document. */
    private static String failure(RunwayCli.Result r) {
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

    private String check(Path dir, Path work) throws Exception {
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

    /** Runway's own output of every command goes next to the dumps; the temporary directory is removed. */
    private static void keepOutputs(Path work, Path pdir) throws IOException {
        for (String sub : List.of("rw", "check")) {
            Path d = work.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".stdout") || p.toString().endsWith(".stderr"))
                        .collect(Collectors.toList())) {
                    Files.copy(p, pdir.resolve(sub + "-" + p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private void fresh(Lab lab, Psql psql, String db) throws Exception {
        lab.dropDatabase(db);
        lab.createDatabase(db);
        for (String sql : setup) {
            Psql.Result r = psql.exec(db, sql);
            if (!r.ok()) {
                throw new IllegalStateException(spec.name() + ": setup failed: " + r.error());
            }
        }
    }

    private static SchemaDump dump(Lab lab, Path bin, String db, Path file) throws Exception {
        return SchemaDump.of(bin.resolve("pg_dump"), lab.primary().host(), lab.primary().port(), db, file);
    }

    private static Step compare(SchemaDump want, String wantName, SchemaDump got, String gotName, Path pdir, String label)
            throws IOException {
        SchemaDump.Diff d = want.diff(got);
        if (d.same()) {
            return Step.ok();
        }
        Files.writeString(pdir.resolve(label + ".diff"), d.full(wantName, gotName), StandardCharsets.UTF_8);
        return Step.failed("schema differs: " + d.summary(2, wantName, gotName) + " (" + label + ".diff)");
    }

    private static Set<String> roles(Node pg) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void dropNewRoles(Node pg, Set<String> before) throws SQLException {
        for (String r : roles(pg)) {
            if (!before.contains(r)) {
                try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
                    st.execute("DROP ROLE IF EXISTS \"" + r.replace("\"", "\"\"") + "\"");
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static Step na() {
        return Step.notApplicable(null);
    }

    private static Step na(String why) {
        return Step.notApplicable(why);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
