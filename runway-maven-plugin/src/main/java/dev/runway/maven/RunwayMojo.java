package dev.runway.maven;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every {@code runway:} goal shares: the CLI's settings as plugin parameters, and running the
 * CLI's own command in this JVM with its output in the build log.
 *
 * <p>Each parameter maps to one {@link Setting} and is passed as that setting's flag, so the CLI's
 * precedence holds unchanged: plugin configuration (or {@code -Drunway.*}) &gt; environment
 * ({@code DATABASE_URL}, {@code RUNWAY_*}) &gt; {@code runway.toml} &gt; defaults. Relative directories
 * resolve against the project's base directory, and {@code ${basedir}/runway.toml} is read when
 * present. {@code SettingParametersTest} proves every setting has its parameter.
 *
 * <p>A failing command fails the build with the CLI's one-line message; its exit code (docs: README
 * "Exit codes") decides how: 2 (usage or configuration) is a {@link MojoExecutionException}, every
 * other failure a {@link MojoFailureException}. Not thread-safe (it redirects System.out/err while
 * the command runs).
 */
abstract class RunwayMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    File basedir;

    /** Skip this goal. */
    @Parameter(property = "runway.skip", defaultValue = "false")
    boolean skip;

    /** runway.toml to read (default {@code ${basedir}/runway.toml} when present). */
    @Parameter(property = "runway.config")
    File config;

    /** Database URL; env DATABASE_URL. */
    @Parameter(property = "runway.url")
    String url;
    /** Schema migrations directory (default migrations); env RUNWAY_DIR. */
    @Parameter(property = "runway.dir")
    String dir;
    /** Data migrations directory (default DIR/data); env RUNWAY_DATA_DIR. */
    @Parameter(property = "runway.dataDir")
    String dataDir;
    /** Schema of the history table (default public). */
    @Parameter(property = "runway.schema")
    String schema;
    /** History table (default runway_schema_history). */
    @Parameter(property = "runway.table")
    String table;
    /** How long to wait for the migration lock (default 2m). */
    @Parameter(property = "runway.lockWait")
    String lockWait;
    /** lock_timeout of each migration (default 1s). */
    @Parameter(property = "runway.lockTimeout")
    String lockTimeout;
    /** lock_timeout of CONCURRENTLY statements (default 5m). */
    @Parameter(property = "runway.concurrentLockTimeout")
    String concurrentLockTimeout;
    /** statement_timeout of schema migrations (default 0s = none). */
    @Parameter(property = "runway.statementTimeout")
    String statementTimeout;
    /** Tries per migration on lock timeout (default 10). */
    @Parameter(property = "runway.retries")
    String retries;
    /** Apply pending versions older than the newest applied one. */
    @Parameter(property = "runway.allowOutOfOrder")
    Boolean allowOutOfOrder;
    /** text (default) or json; check also takes sarif and github. */
    @Parameter(property = "runway.format")
    String format;
    /** URL for migrations when url is a transaction pooler; env RUNWAY_MIGRATE_URL. */
    @Parameter(property = "runway.migrateUrl")
    String migrateUrl;
    /** Replace ${name} placeholders in Flyway and Liquibase files (default true). */
    @Parameter(property = "runway.placeholderReplacement")
    String placeholderReplacement;
    /** check: a lock or rewrite finding on an existing table smaller than this passes (default 10MB; with --against). */
    @Parameter(property = "runway.lintGateSmallTable")
    String lintGateSmallTable;
    /** After SIGINT/SIGTERM, how long a running statement may go on before it is cancelled (default 3s). */
    @Parameter(property = "runway.stopGrace")
    String stopGrace;

    /** The CLI command this goal runs, e.g. {@code migrate}. */
    abstract String command();

    /** Arguments after the common flags (goal-specific options and operands). */
    List<String> extraArgs() {
        return List.of();
    }


    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("runway:" + command() + " skipped");
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(command());
        args.addAll(commonArgs());
        args.addAll(extraArgs());
        CliRun run = CliRun.run(args, getLog());
        if (run.exitCode() == 0) {
            return;
        }
        String message = "runway " + command() + " failed (exit " + run.exitCode() + ", " + meaning(run.exitCode()) + ")"
                + (run.errorLine().isEmpty() ? ": see the output above" : ": " + run.errorLine());
        if (run.exitCode() == 2) {
            throw new MojoExecutionException(message);
        }
        throw new MojoFailureException(message);
    }

    /** README "Exit codes", in a few words. */
    static String meaning(int exit) {
        switch (exit) {
            case 1:
                return "a migration failed";
            case 2:
                return "usage or configuration error";
            case 3:
                return "check findings blocked the run";
            case 4:
                return "integrity or state problem";
            case 75:
                return "temporary, a retry may succeed";
            default:
                return "unexpected";
        }
    }

    /**
     * The settings given to the plugin, by setting (absent = not configured here). Each goal passes on
     * those its command reads ({@link dev.runway.cli.Main#settingsOf}).
     */
    Map<Setting, String> flags() {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        put(f, Setting.URL, url);
        put(f, Setting.DIR, dir);
        put(f, Setting.DATA_DIR, dataDir);
        put(f, Setting.SCHEMA, schema);
        put(f, Setting.TABLE, table);
        put(f, Setting.LOCK_WAIT, lockWait);
        put(f, Setting.LOCK_TIMEOUT, lockTimeout);
        put(f, Setting.CONCURRENT_LOCK_TIMEOUT, concurrentLockTimeout);
        put(f, Setting.STATEMENT_TIMEOUT, statementTimeout);
        put(f, Setting.RETRIES, retries);
        put(f, Setting.ALLOW_OUT_OF_ORDER, allowOutOfOrder == null ? null : allowOutOfOrder.toString());
        put(f, Setting.FORMAT, format);
        put(f, Setting.MIGRATE_URL, migrateUrl);
        put(f, Setting.PLACEHOLDER_REPLACEMENT, placeholderReplacement);
        put(f, Setting.GATE_SMALL_TABLE, lintGateSmallTable);
        put(f, Setting.STOP_GRACE, stopGrace);
        return f;
    }

    /**
     * The flags for {@link #flags()}, with the migration directories resolved as the CLI would and
     * made absolute against the base directory (Maven's working directory is the reactor's, not the
     * module's).
     */
    List<String> commonArgs() {
        Map<Setting, String> f = flags();
        Path toml = config != null ? config.toPath() : basedir.toPath().resolve("runway.toml");
        Settings resolved = Settings.resolve(f, System::getenv, toml, config != null);
        for (Setting s : new Setting[] {Setting.DIR, Setting.DATA_DIR}) {
            String v = resolved.get(s);
            if (v != null && !Path.of(v).isAbsolute()) {
                f.put(s, basedir.toPath().resolve(v).toString());
            }
        }
        List<String> args = new ArrayList<>();
        if (config != null || toml.toFile().exists()) {
            args.add("--config");
            args.add(toml.toString());
        }
        java.util.Set<Setting> reads = dev.runway.cli.Main.settingsOf(command());
        f.forEach((s, v) -> {
            if (!reads.contains(s)) {
                return; // configured for the other goals (one configuration serves them all)
            }
            if (s == Setting.ALLOW_OUT_OF_ORDER) {
                if (Boolean.parseBoolean(v)) {
                    args.add(s.flag()); // a boolean flag takes no value
                }
            } else {
                args.add(s.flag());
                args.add(v);
            }
        });
        return args;
    }

    private static void put(Map<Setting, String> m, Setting k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
