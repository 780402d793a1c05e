package dev.runway.lint;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.SqlStates;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.internal.rules.Candidate;
import dev.runway.lint.internal.rules.StaticAnalyzer;
import dev.runway.lint.internal.trace.MigrationTrace;
import dev.runway.lint.internal.trace.Scratch;
import dev.runway.lint.internal.trace.Target;
import dev.runway.lint.internal.trace.Tracer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code runway check}: the static rules, then (with {@link CheckOptions#trace()}) each migration on a
 * scratch database, never the target, with the up, down, up round trip. The scratch schema comes
 * from replaying the earlier migrations, or from a schema-only copy of {@code --against}. Stateless;
 * each call starts and stops its own scratch server.
 */
public final class Check {
    private Check() {
    }

    /**
     * @param earlier migrations before the checked ones, in order: replayed (not checked) to build the schema
     * @param checked migrations to check, in order
     * @throws RunwayException TEMPORARY when the scratch server or the target is unreachable
     */
    public static CheckResult run(List<CheckedMigration> earlier, List<CheckedMigration> checked, LintConfig config, CheckOptions opt) {
        return run(earlier, checked, config, opt, CheckProgress.NONE);
    }

    /** {@link #run(List, List, LintConfig, CheckOptions)}, telling {@code progress} as each migration is traced. */
    public static CheckResult run(List<CheckedMigration> earlier, List<CheckedMigration> checked, LintConfig config, CheckOptions opt,
                                  CheckProgress progress) {
        return run(earlier, checked, config, opt, progress, null);
    }

    /**
     * {@link #run(List, List, LintConfig, CheckOptions, CheckProgress)} on the scratch server {@code early} started
     * ahead ({@link ScratchStart#begin} with the same {@code opt}; null: started here). The run takes and closes the
     * scratch when it traces; the caller closes {@code early} in any case.
     */
    public static CheckResult run(List<CheckedMigration> earlier, List<CheckedMigration> checked, LintConfig config, CheckOptions opt,
                                  CheckProgress progress, ScratchStart early) {
        long t0 = System.nanoTime();
        Target target = opt.against() == null ? null : Target.read(opt.against(), opt.historyTable());
        // Target major: --pg (labVersion) > the --against server > the --scratch-url server > runway.toml / default.
        LintConfig cfg = config;
        // The --scratch-url server's major, read once (one connection fewer when Scratch.at gets it).
        int scratchMajor = opt.labVersion() == null && opt.trace() && opt.scratchUrl() != null
                ? early != null ? early.major() : Scratch.major(opt.scratchUrl()) : 0;
        if (opt.labVersion() == null && target != null) {
            cfg = config.withPgMajor(target.major());
        } else if (opt.labVersion() == null && opt.trace() && opt.scratchUrl() != null) {
            cfg = config.withPgMajor(scratchMajor);
        }
        if (target != null) {
            // The target already has the applied files: they only teach the static rules; the rest is pending.
            List<CheckedMigration> learned = new ArrayList<>(earlier);
            List<CheckedMigration> pending = new ArrayList<>();
            for (CheckedMigration m : checked) {
                (target.has(m.version()) ? learned : pending).add(m);
            }
            earlier = learned;
            checked = pending;
        }
        List<List<Candidate>> cands = new ArrayList<>();
        StaticAnalyzer shared = new StaticAnalyzer(cfg);
        for (CheckedMigration m : earlier) {
            shared.learn(m);
        }
        java.util.Set<String> createdEarlier = new java.util.HashSet<>(shared.created());
        java.util.Set<String> created = new java.util.HashSet<>();
        for (CheckedMigration m : checked) {
            StaticAnalyzer a = shared;
            if (opt.independent()) {
                a = new StaticAnalyzer(cfg);
                for (CheckedMigration e : earlier) {
                    a.learn(e);
                }
            }
            cands.add(a.analyze(m));
            if (a != shared) {
                created.addAll(a.created());
            }
        }
        created.addAll(shared.created()); // once: the shared set only grows (adding it per file was quadratic)
        created.removeAll(createdEarlier);
        List<Finding> out = new ArrayList<>();
        Map<String, TableSize> sizes = target == null ? Map.of() : target.sizes();
        if (!opt.trace() || checked.isEmpty()) {
            for (int i = 0; i < checked.size(); i++) {
                Findings.addAll(out, Merge.findings(checked.get(i), cands.get(i), null, cfg, sizes));
            }
        } else {
            String labVersion = opt.labVersion() != null ? opt.labVersion() : target != null ? String.valueOf(target.major()) : null;
            try (Scratch scratch = early != null ? early.take() : opt.scratchUrl() == null ? Scratch.startLab(labVersion)
                    : scratchMajor > 0 ? Scratch.at(opt.scratchUrl(), scratchMajor) : Scratch.at(opt.scratchUrl())) {
                if (target != null) {
                    Path bin = scratch.lab() != null ? scratch.lab().binaries().binDir() : Path.of("/usr/lib/postgresql/" + target.major() + "/bin");
                    Target.copySchema(opt.against(), scratch.url(), bin);
                } else {
                    replay(scratch, earlier);
                }
                Tracer tracer = new Tracer(scratch, opt.roundTrip(), target == null ? null : target.timeZone());
                List<CheckedMigration> applied = new ArrayList<>(target == null ? earlier : List.of());
                for (int i = 0; i < checked.size(); i++) {
                    progress.tracing(i, checked.size(), checked.get(i));
                    MigrationTrace t;
                    try {
                        t = tracer.trace(checked.get(i), !opt.independent());
                        // A role production has and the scratch server lacks: create it and trace again.
                        for (int k = 0; k < 5 && missingRole(t.upError()) != null && scratch.ensureRole(missingRole(t.upError())); k++) {
                            if (Tracer.dirty(checked.get(i), t)) {
                                scratch.recreate();
                                tracer.forget();
                                replay(scratch, applied);
                            }
                            t = tracer.trace(checked.get(i), !opt.independent());
                        }
                    } catch (SQLException e) {
                        throw scratchFailure(scratch, e);
                    }
                    if (t.upError() != null && t.upError().endsWith("(SQLSTATE 42601)")) {
                        // Text PostgreSQL cannot parse is bad input, not a finding.
                        throw RunwayException.usage(checked.get(i).file() + ":" + t.upErrorLine() + ": " + t.upError());
                    }
                    if (t.upError() == null) {
                        applied.add(checked.get(i));
                    }
                    if (!opt.independent() && Tracer.dirty(checked.get(i), t)) {
                        if (target != null) {
                            throw new RunwayException(ErrorCode.TEMPORARY, checked.get(i).file() + ": a failed non-transactional migration"
                                    + " left the scratch copy of the target half-changed; fix it and run check again");
                        }
                        scratch.recreate();
                        tracer.forget();
                        replay(scratch, applied);
                    }
                    Findings.addAll(out, Merge.findings(checked.get(i), cands.get(i), t, cfg, sizes));
                    progress.traced(i, checked.size(), checked.get(i));
                }
            }
        }
        if (target != null) {
            // the same rule as release's gate: a lock or rewrite only blocks on an existing table of gate.small-table or more
            out = TargetGate.judge(out, new TargetTables(sizes, created), cfg.smallTableBytes());
        }
        List<String> files = new ArrayList<>();
        for (CheckedMigration m : checked) {
            files.add(m.file());
        }
        return new CheckResult(Findings.sorted(out), files, opt.trace(), cfg.pgMajor(), Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Compiled when a trace first fails, not on every static check (a cold JVM pays for each compile). */
    private static final class MissingRole {
        static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile("role \"([^\"]+)\" does not exist");
    }

    /** The role named in a "role ... does not exist" error, or null. */
    static String missingRole(String error) {
        if (error == null) {
            return null;
        }
        java.util.regex.Matcher m = MissingRole.PATTERN.matcher(error);
        return m.find() ? m.group(1) : null;
    }

    /** Applies earlier migrations as Runway would, without tracing them (creating missing roles on a lab server). */
    static void replay(Scratch scratch, List<CheckedMigration> earlier) {
        for (CheckedMigration m : earlier) {
            for (int k = 0; ; k++) {
                try {
                    replay(scratch.main(), m);
                    break;
                } catch (RunwayException e) {
                    String role = missingRole(e.getMessage());
                    if (k >= 5 || role == null || !scratch.ensureRole(role)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void replay(Connection c, CheckedMigration m) {
        SqlStatement current = null;
        {
            try (Statement st = c.createStatement()) {
                boolean tx = m.transactional();
                c.setAutoCommit(!tx);
                for (SqlStatement s : m.up()) {
                    if (s.transactionControl() || tx && s.nonTransactional()) {
                        continue;
                    }
                    current = s;
                    st.execute(s.sql());
                }
                if (tx) {
                    c.commit();
                }
                c.setAutoCommit(true);
            } catch (SQLException e) {
                try {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw RunwayException.usage(m.file() + (current == null ? "" : ":" + current.line())
                        + ": an earlier migration fails on the scratch database, so later ones cannot be checked: " + e.getMessage().split("\n")[0]);
            }
        }
    }

    private static RunwayException scratchFailure(Scratch s, SQLException e) {
        if (SqlStates.isSessionLost(e)) {
            return new RunwayException(ErrorCode.TEMPORARY, "lost the scratch server " + s.url() + ": " + e.getMessage(), e);
        }
        return new RunwayException(ErrorCode.TEMPORARY, "scratch database " + s.url() + ": " + e.getMessage(), e);
    }
}
