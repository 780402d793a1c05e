package dev.runway.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One tool under test: how to apply a size's migrations to a database, how to run its no-op
 * (the same command again), and how to count its history rows. Immutable.
 */
public final class Tool {
    /** Where the binaries and class paths are; {@code runwayJava} is the java Runway runs on, null for the PATH's. */
    public record Env(Path repo, Path runwayJar, Path runwayJsa, Path bundleLauncher, Path runtimeLauncher, String flywayClassPath,
                      String liquibaseClassPath, String host, int port, Path runwayJava) {
        public Env(Path repo, Path runwayJar, Path runwayJsa, Path bundleLauncher, Path runtimeLauncher, String flywayClassPath,
                   String liquibaseClassPath, String host, int port) {
            this(repo, runwayJar, runwayJsa, bundleLauncher, runtimeLauncher, flywayClassPath, liquibaseClassPath, host, port, null);
        }

        String jdbc(String db) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + db;
        }

        Env onJava(Path java) {
            return new Env(repo, runwayJar, runwayJsa, bundleLauncher, runtimeLauncher, flywayClassPath, liquibaseClassPath, host, port, java);
        }

        /** The start-up archive the launchers train for that java: runway.aot on Java 25+, else runway.jsa. */
        Path runwayArchive() {
            return runwayJava != null && Jdks.major(runwayJava) >= 25 ? runwayJar.resolveSibling("runway.aot") : runwayJsa;
        }
    }

    /** The JVM flags of the {@code ./runway} launcher (read from it; keep in sync). */
    public static final List<String> RUNWAY_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xss512k");

    private final String key;
    private final String label;
    private final String historySql;
    private final Command apply;
    private final Command noop;

    /** Builds a command line for one database. */
    @FunctionalInterface
    interface Command {
        List<String> line(Env env, MigrationFiles.Layout files, String db);
    }

    private Tool(String key, String label, String historySql, Command apply, Command noop) {
        this.key = key;
        this.label = label;
        this.historySql = historySql;
        this.apply = apply;
        this.noop = noop;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** Counts the successful history rows, or null (psql keeps none). */
    public String historySql() {
        return historySql;
    }

    public List<String> apply(Env env, MigrationFiles.Layout files, String db) {
        return apply.line(env, files, db);
    }

    public List<String> noop(Env env, MigrationFiles.Layout files, String db) {
        return noop.line(env, files, db);
    }

    /**
     * psql: all.sql in one session, ON_ERROR_STOP, each migration in its own {@code BEGIN; … COMMIT;} (one transaction
     * each, as the tools under test run them); its no-op is a bare connection.
     */
    public static final Tool PSQL = new Tool("psql", "psql floor (1 tx per migration)", null,
            (env, f, db) -> List.of("/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", env.host(),
                    "-p", String.valueOf(env.port()), "-U", "postgres", "-d", db, "-f", f.psqlScript().toString()),
            (env, f, db) -> List.of("/usr/bin/psql", "-X", "-q", "-h", env.host(), "-p", String.valueOf(env.port()),
                    "-U", "postgres", "-d", db, "-c", "SELECT 1"));

    /**
     * psql as {@link #PSQL}, with {@code PGOPTIONS='-c synchronous_commit=off'}: no commit waits for its WAL flush, the
     * floor for a client that commits asynchronously (Runway does for all but the last migration of a run).
     */
    public static final Tool PSQL_ASYNC = new Tool("psql-async", "psql, synchronous_commit=off", null,
            (env, f, db) -> async(PSQL.apply(env, f, db)), (env, f, db) -> async(PSQL.noop(env, f, db)));

    private static List<String> async(List<String> psql) {
        List<String> l = new ArrayList<>(List.of("/usr/bin/env", "PGOPTIONS=-c synchronous_commit=off"));
        l.addAll(psql);
        return l;
    }

    /** Runway: the exact java command line of the {@code ./runway} launcher, with its AppCDS archive. */
    public static final Tool RUNWAY = new Tool("runway", "Runway " + dev.runway.migrate.Runway.VERSION,
            "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'", Tool::runway, Tool::runway);

    /**
     * Runway on the newest JDK under /usr/lib/jvm (Java 25+), with the AOT cache its launcher trains there
     * ({@code RUNWAY_JAVA=… ./runway --version} trains {@code runway-cli/target/runway.aot}).
     */
    public static final Tool RUNWAY_AOT = new Tool("runway-aot", "Runway on Java 25 (AOT cache)",
            "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'",
            (env, f, db) -> runway(env.onJava(Jdks.newest(25)), f, db), (env, f, db) -> runway(env.onJava(Jdks.newest(25)), f, db));

    /** Runway through the {@code ./runway} script itself (bash + its staleness check + the same java line). */
    public static final Tool RUNWAY_SCRIPT = new Tool("runway-script", "Runway via ./runway",
            "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'", Tool::runwayScript, Tool::runwayScript);

    /** Runway through the release bundle's {@code bin/runway} launcher (Java check, its own archive). */
    public static final Tool RUNWAY_BUNDLE = new Tool("runway-bundle", "Runway via bin/runway (bundle)",
            "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'", Tool::runwayBundle, Tool::runwayBundle);

    /**
     * Runway as the self-contained bundle runs it: its {@code bin/runway} on the bundle's own Java 25+ runtime (linked by
     * jlink, runway-VERSION-linux-ARCH.tar.gz) with the AOT cache its first run trains. A tool of its own (apply and
     * no-op), not a launcher of the same Runway: the runtime is another.
     */
    public static final Tool RUNWAY_RUNTIME = new Tool("runway-runtime", "Runway, self-contained bundle (own Java 25 runtime)",
            "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'", Tool::runwayRuntime, Tool::runwayRuntime);

    /** Flyway 13 as a library ({@link FlywayLauncher}), default JVM flags. */
    public static final Tool FLYWAY = new Tool("flyway", "Flyway 13.12.0",
            "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL", Tool::flyway, Tool::flyway);

    /** Liquibase 5: liquibase-core's CLI main class (picocli on the class path), default JVM flags. */
    public static final Tool LIQUIBASE = new Tool("liquibase", "Liquibase 5.0.4",
            "SELECT count(*) FROM databasechangelog", Tool::liquibase, Tool::liquibase);

    public static List<Tool> all() {
        return List.of(PSQL, PSQL_ASYNC, RUNWAY, RUNWAY_AOT, RUNWAY_RUNTIME, FLYWAY, LIQUIBASE, RUNWAY_SCRIPT, RUNWAY_BUNDLE);
    }

    public static Tool byKey(String key) {
        for (Tool t : all()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tool '" + key + "' (psql, psql-async, runway, runway-aot, runway-runtime, flyway, liquibase, runway-script, runway-bundle)");
    }

    /** The java command line {@code ./runway release} executes (on {@code env}'s java, with the archive trained for it). */
    static List<String> runwayJava(Env env, List<String> args) {
        List<String> l = new ArrayList<>();
        l.add(env.runwayJava() == null ? "java" : env.runwayJava().toString());
        l.addAll(RUNWAY_JVM_FLAGS);
        if (fewCpus()) {
            l.add(ONE_COMPILER); // as launch.sh: one JIT compiler thread on one or two CPUs
        }
        if (hugePagesOnRequest()) {
            l.add("-XX:+UseTransparentHugePages"); // as launch.sh: where the kernel's THP mode is madvise
        }
        if (env.runwayArchive().getFileName().toString().endsWith(".aot")) {
            l.addAll(List.of("-XX:AOTCache=" + env.runwayArchive(), "-Xlog:aot=off", "-Xlog:cds=off"));
        } else {
            l.addAll(List.of("-XX:SharedArchiveFile=" + env.runwayArchive(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        l.addAll(List.of("-cp", env.runwayJar().toString(), "dev.runway.cli.Main")); // as launch.sh's runway_main
        l.addAll(args);
        return l;
    }

    /** launch.sh's one compiler thread; only with C1 alone (take it out with {@code -XX:TieredStopAtLevel=1}). */
    static final String ONE_COMPILER = "-XX:CICompilerCount=1";

    /** launch.sh's runway_few_cpus: one or two CPUs online. */
    static boolean fewCpus() {
        try {
            int n = 0;
            for (String part : java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
                String[] range = part.split("-");
                n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            }
            return n <= 2;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** launch.sh's runway_thp_on_request: the kernel gives transparent huge pages to memory that asks (enabled = madvise). */
    static boolean hugePagesOnRequest() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).contains("[madvise]");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<String> releaseArgs(Env env, MigrationFiles.Layout f, String db) {
        return List.of("release", "--url", "postgres://postgres@" + env.host() + ":" + env.port() + "/" + db,
                "--dir", f.runway().toString());
    }

    private static List<String> runway(Env env, MigrationFiles.Layout f, String db) {
        return runwayJava(env, releaseArgs(env, f, db));
    }

    private static List<String> runwayScript(Env env, MigrationFiles.Layout f, String db) {
        List<String> l = new ArrayList<>();
        l.add(env.repo().resolve("runway").toString());
        l.addAll(releaseArgs(env, f, db));
        return l;
    }

    private static List<String> runwayBundle(Env env, MigrationFiles.Layout f, String db) {
        return launched(env.bundleLauncher(), env, f, db);
    }

    private static List<String> runwayRuntime(Env env, MigrationFiles.Layout f, String db) {
        return launched(env.runtimeLauncher(), env, f, db);
    }

    private static List<String> launched(Path launcher, Env env, MigrationFiles.Layout f, String db) {
        List<String> l = new ArrayList<>();
        l.add(launcher.toString());
        l.addAll(releaseArgs(env, f, db));
        return l;
    }

    private static List<String> flyway(Env env, MigrationFiles.Layout f, String db) {
        return List.of("java", "-cp", env.flywayClassPath(), FlywayLauncher.class.getName(), env.jdbc(db), "postgres",
                f.flyway().toString());
    }

    private static List<String> liquibase(Env env, MigrationFiles.Layout f, String db) {
        return List.of("java", "-cp", env.liquibaseClassPath(), "liquibase.integration.commandline.LiquibaseCommandLine",
                "--url=" + env.jdbc(db), "--username=postgres", "--changelog-file=master.xml",
                "--search-path=" + f.liquibaseMaster().getParent(), "update");
    }
}
