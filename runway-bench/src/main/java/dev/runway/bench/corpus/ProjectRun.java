package dev.runway.bench.corpus;

import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One history through the whole procedure, on its own lab server (reused for every database): export
 * the directory from the snapshot, read it as its runner does, then {@link ReferenceRun} (psql) and
 * {@link RunwayRun} (the runway command line), and keep Runway's output next to the dumps. Roles a
 * history creates are cluster-wide, so the ones each side created are dropped after it. Not
 * thread-safe.
 */
final class ProjectRun {
    private final ProjectSpec spec;
    private final Path mirror;
    private final Path jar;
    private final Path out;
    private final Consumer<String> log;

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
        List<String> setup = new ArrayList<>(spec.setup());
        for (String f : spec.setupFiles()) {
            setup.add(Snapshot.show(mirror, spec.repo(), commit, f));
        }
        ReferenceHistory h;
        try {
            h = upTo(spec.tool().read(dir, spec.placeholders()));
        } catch (IllegalArgumentException e) {
            Step f = Step.failed(e.getMessage());
            return new ProjectResult(spec, commit, 0, 0, List.of(), List.of(), "", null, f, na(), na(), na(), na(), na(), na(), "",
                    secs(t0));
        }
        log.accept(spec.name() + ": " + h.migrations().size() + " migrations (" + h.downs() + " with a down), "
                + h.skipped().size() + " files left out");
        LabConfig.Builder cfg = LabConfig.builder().replicas(0);
        if (spec.pg() != null) {
            cfg.pgVersion(spec.pg());
        }
        try (Lab lab = Lab.start(cfg.build())) {
            ProjectLab p = new ProjectLab(lab, work, pdir, setup, log);
            Set<String> roles = p.roles();
            ReferenceRun.Reference ref = ReferenceRun.run(p, h);
            p.dropRolesNotIn(roles);
            RunwayRun runway = new RunwayRun(p, spec, jar, work);
            RunwayRun.RunwaySide rw = runway.run(dir, ref);
            p.dropRolesNotIn(roles);
            String check = runway.check(dir);
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
                    Files.copy(p, pdir.resolve(sub + "-" + p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private static Step na() {
        return Step.notApplicable(null);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
