package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.cli.output.ProgressLine;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lint.Check;
import dev.runway.lint.CheckOptions;
import dev.runway.lint.CheckProgress;
import dev.runway.lint.CheckResult;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Mode;
import dev.runway.lint.ScratchStart;
import dev.runway.lint.report.Reports;
import dev.runway.lint.report.Sarif;
import dev.runway.lint.source.CheckInputs;
import dev.runway.migrate.Runway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway check}: static rules, dynamic trace and down round trip on a scratch database (docs/check.md). */
@Command(name = "check", description = {
        "Lint migrations, then run each on a scratch database (a lab server, or --scratch-url), never the target:",
        "locks taken, table rewrites, validation scans, breaking catalog changes, and up -> down -> up.",
        "Exit 0 clean (warnings allowed), 3 error findings, 2 bad input (unparseable SQL, unknown rule in nolint,",
        "bad flag), 75 scratch server or --against target unreachable. Rules: docs/rules/RWnnn.md."})
final class CheckCommand extends SettingsCommand {
    static final Set<Setting> SETTINGS = EnumSet.of(Setting.DIR, Setting.SCHEMA, Setting.TABLE, Setting.FORMAT, Setting.GATE_SMALL_TABLE, Setting.PLACEHOLDER_REPLACEMENT);

    CheckCommand() {
        super(SETTINGS);
    }
    /** The names of check's own options ({@link FastPath} reads them too). */
    static final String MODE = "--mode";
    static final String PG = "--pg";
    static final String STATIC = "--static";
    static final String NO_ROUND_TRIP = "--no-round-trip";
    static final String SCRATCH_URL = "--scratch-url";
    static final String AGAINST = "--against";
    static final String SARIF = "--sarif";
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to check (default: every migration in --dir).")
    List<Path> files = new ArrayList<>();
    @Option(names = MODE, paramLabel = "MODE", description = "runway (default: one transaction per migration, Runway sets lock_timeout) or plain (as written, like psql -f).")
    String mode;
    @Option(names = PG, paramLabel = "MAJOR", description = "Target PostgreSQL major for version-gated rules and the lab (default: --against's server, else 15).")
    String pg;
    @Option(names = STATIC, description = "Static rules only: no scratch server (what release runs).")
    boolean staticOnly;
    @Option(names = NO_ROUND_TRIP, description = "Skip the up -> down -> up round trip.")
    boolean noRoundTrip;
    @Option(names = SCRATCH_URL, paramLabel = "URL", description = "Server for scratch databases (runway_check_*), instead of starting a lab server.")
    String scratchUrl;
    @Option(names = AGAINST, paramLabel = "URL", description = "Read-only: copy this database's schema (pg_dump --schema-only) and table sizes; check its pending files.")
    String against;
    @Option(names = SARIF, paramLabel = "FILE", description = "Also write the findings as SARIF 2.1.0 to FILE (for code scanning in CI), whatever --format prints.")
    Path sarif;

    @Override
    public Integer call() {
        Settings s = common.settings();
        Reports.Format format = Reports.Format.parse(s.get(Setting.FORMAT), s.source(Setting.FORMAT));
        LintConfig cfg = LintToml.lintConfig(common, s);
        if (mode != null) {
            cfg = cfg.withMode(Mode.parse(mode, "--mode"));
        }
        if (pg != null) {
            cfg = cfg.withPgMajor(LintConfig.parseMajor(pg, "--pg"));
        }
        DatabaseUrl target = against == null ? null : DatabaseUrl.parse(against, "--against");
        CheckResult r;
        // The scratch server starts while the files are read and linted (a bad --scratch-url: reported after them).
        try (ScratchStart early = ScratchStart.begin(options(s, target, scratchUrlOrNull()))) {
            CheckInputs in = CheckInputs.select(cfg.mode(), Path.of(s.get(Setting.DIR)), files, s.placeholders());
            CheckOptions opt = options(s, target, scratchUrl == null ? null : DatabaseUrl.parse(scratchUrl, "--scratch-url"));
            boolean showProgress = format == Reports.Format.TEXT && !staticOnly && ProgressLine.wanted();
            try (ProgressLine bar = showProgress
                    ? new ProgressLine(System.out, System::nanoTime, ProgressLine.terminalWidth(), in.checked().size(), "traced").startTicker()
                    : null) {
                CheckProgress progress = bar == null ? CheckProgress.NONE : new CheckProgress() {
                    @Override
                    public void tracing(int index, int total, CheckedMigration m) {
                        bar.current(m.file());
                    }

                    @Override
                    public void traced(int index, int total, CheckedMigration m) {
                        bar.step();
                    }
                };
                r = Check.run(in.earlier(), in.checked(), cfg, opt, progress, early).only(in.checkedFiles());
            }
        }
        if (sarif != null) {
            writeSarif(r);
        }
        Output out = common.output(format == Reports.Format.JSON);
        switch (format) {
            case JSON:
                out.printJson(Output.mapper().valueToTree(Reports.json(r)), r.exitCode());
                break;
            case SARIF:
                out.printDocument(Sarif.tree(r, Runway.VERSION));
                break;
            case GITHUB:
                for (String line : Reports.github(r)) {
                    out.line(line);
                }
                break;
            default:
                for (String line : Reports.text(r)) { // a loop, not forEach(out::line): no call site to link in a cold JVM
                    out.line(line);
                }
        }
        return r.exitCode();
    }

    private CheckOptions options(Settings s, DatabaseUrl target, DatabaseUrl scratch) {
        return new CheckOptions(!staticOnly, !staticOnly && !noRoundTrip, scratch, target, pg, false,
                PgSession.ident(s.get(Setting.SCHEMA)) + "." + PgSession.ident(s.get(Setting.TABLE)));
    }

    /** --scratch-url parsed, or null when absent or bad (a bad one is reported where it always was). */
    private DatabaseUrl scratchUrlOrNull() {
        try {
            return scratchUrl == null ? null : DatabaseUrl.parse(scratchUrl, "--scratch-url");
        } catch (RuntimeException bad) {
            return null; // nothing starts ahead
        }
    }

    private void writeSarif(CheckResult r) {
        try {
            Path parent = sarif.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(sarif, Output.mapper().writeValueAsString(Sarif.tree(r, Runway.VERSION)) + System.lineSeparator());
        } catch (IOException e) {
            throw RunwayException.usage("--sarif " + sarif + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
