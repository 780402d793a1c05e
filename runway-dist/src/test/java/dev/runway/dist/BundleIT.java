package dev.runway.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.dist.Commands.Result;
import dev.runway.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle as a user gets it: unpacked into an empty directory far from the checkout, run
 * through its own {@code bin/runway} with a {@code mvn} on PATH that fails the test if anything calls
 * it, and a HOME of its own. It trains its start-up archive on first run, runs the demo, and releases
 * a project's migrations to a lab database; nothing it prints or writes points into the checkout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    static Path tmp;

    static Path home;      // the unpacked runway-<version>/
    static Path trap;      // set by the fake mvn when anything runs it
    static final Map<String, String> ENV = new HashMap<>();
    static final List<String> OUTPUTS = new ArrayList<>();

    @BeforeAll
    static void unpack() throws Exception {
        Path bundle = Path.of(System.getProperty("runway.bundle"));
        assertThat(bundle).as("mvn package builds the bundle first").exists();
        Path install = Files.createDirectories(tmp.resolve("opt"));
        Result tar = run(install, Map.of(), "tar", "xzf", bundle.toString());
        assertThat(tar.exit()).as(tar.err()).isZero();
        home = install.resolve("runway-" + System.getProperty("runway.version"));

        Path bin = Files.createDirectories(tmp.resolve("trap-bin"));
        trap = tmp.resolve("mvn-was-called");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch '" + trap + "'\necho 'mvn must not be needed' >&2\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        ENV.put("PATH", bin + ":" + System.getenv("PATH"));
        ENV.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        ENV.put("XDG_CACHE_HOME", tmp.resolve("home/.cache").toString());
    }

    @Test
    @Order(1)
    void holdsTheLauncherTheJarTheLicenseAndAReadme() throws IOException {
        assertThat(home.resolve("bin/runway")).isExecutable();
        assertThat(home.resolve("lib/runway.jar")).isRegularFile();
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0");
        String readme = Files.readString(home.resolve("README.md"));
        assertThat(readme).contains("runway-" + System.getProperty("runway.version") + ".tar.gz").doesNotContain("${");
    }

    @Test
    @Order(2)
    void firstRunTrainsTheStartUpArchiveNextToTheJarAndVersionNamesTheCommit() throws Exception {
        Result first = runway(tmp, Map.of(), "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).matches("runway " + System.getProperty("runway.version").replace(".", "\\.")
                + " \\(commit [0-9a-f]{7,}\\)\\s*");
        assertThat(first.err()).contains("training the start-up archive");
        assertThat(home.resolve("lib/runway.jsa")).isNotEmptyFile();
        Result second = runway(tmp, Map.of(), "--version");
        assertThat(second.exit()).isZero();
        assertThat(second.err()).as("trained once, then reused").doesNotContain("training");
        // another jar (a newer build copied over this one): trained again, once
        Path jar = home.resolve("lib/runway.jar");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Result rebuilt = runway(tmp, Map.of(), "--version");
        assertThat(rebuilt.exit()).isZero();
        assertThat(rebuilt.err()).as("another jar: trained again").contains("training the start-up archive");
        assertThat(runway(tmp, Map.of(), "--version").err()).as("then reused").doesNotContain("training");
    }

    @Test
    @Order(3)
    void theDemoRunsAndItsHintsNameTheInstalledCommand() throws Exception {
        Result demo = runway(Files.createDirectories(tmp.resolve("demo")), Map.of(), "demo");
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("Next: runway lab up").doesNotContain("./runway").doesNotContain("examples/migrations");
    }

    @Test
    @Order(4)
    void releasesAProjectsMigrationsThroughASymlinkedLauncher() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path links = Files.createDirectories(tmp.resolve("usr-local-bin"));
        Files.createSymbolicLink(links.resolve("runway"), home.resolve("bin/runway"));
        String runway = links.resolve("runway").toString();
        Map<String, String> env = Map.of("DATABASE_URL", LAB.url().toUnmaskedString());

        Result created = run(project, env(env), runway, "new", "create_accounts");
        assertThat(created.exit()).as(created.err()).isZero();
        Path file;
        try (Stream<Path> files = Files.list(project.resolve("migrations"))) {
            file = files.filter(f -> f.toString().endsWith("_create_accounts.sql")).findFirst().orElseThrow();
        }
        Files.writeString(file, "-- runway:up\nCREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n"
                + "-- runway:down\nDROP TABLE accounts;\n");
        assertThat(run(project, env(env), runway, "hash").exit()).isZero();
        Result release = run(project, env(env), runway, "release");
        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        assertThat(release.out()).contains("CREATE TABLE accounts");
        Result status = run(project, env(env), runway, "status", "--format", "json");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).containsPattern("\"pending\"\\s*:\\s*0\\b");
    }

    @Test
    @Order(5)
    void anOldJavaIsRefusedWithOneLineAndExit2() throws Exception {
        Path fake = Files.createDirectories(tmp.resolve("jdk11/bin")).resolve("java");
        Files.writeString(fake, "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = runway(tmp, Map.of("RUNWAY_JAVA", fake.toString()), "--version");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).contains("Java 11.0.2").contains("Java 17 or newer").doesNotContain("\n");
    }

    @Test
    @Order(5)
    void onlyAReleaseThatBacksUpOrARestoreKeepsC2() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("jit"));
        assertThat(stopLevel(project, Map.of(), "release", "--help")).isEqualTo("1");
        assertThat(stopLevel(project, Map.of(), "status", "--help")).isEqualTo("1");
        assertThat(stopLevel(project, Map.of(), "release", "--backup", "s3", "--help")).isEqualTo("4");
        assertThat(stopLevel(project, Map.of(), "release", "--backup=/tmp/b", "--help")).isEqualTo("4");
        assertThat(stopLevel(project, Map.of(), "backup", "--help")).isEqualTo("4");
        assertThat(stopLevel(project, Map.of("RUNWAY_BACKUP", "s3"), "release", "--help")).isEqualTo("4");
        Files.writeString(project.resolve("runway.toml"), "url = \"postgres://x/y\"\n  backup = \"s3\"\n");
        assertThat(stopLevel(project, Map.of(), "release", "--help")).isEqualTo("4");
        Files.writeString(project.resolve("other.toml"), "url = \"postgres://x/y\"\n");
        assertThat(stopLevel(project, Map.of(), "release", "--config", "other.toml", "--help")).isEqualTo("1");
    }

    @Test
    @Order(5)
    void onJava25OrNewerTheStartUpArchiveIsAnAheadOfTimeCache() throws Exception {
        Path java25 = newestJava(25);
        Assumptions.assumeTrue(java25 != null, "no Java 25 or newer under /usr/lib/jvm");
        Map<String, String> on25 = Map.of("RUNWAY_JAVA", java25.toString());
        Result first = runway(tmp, on25, "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("training the start-up archive");
        assertThat(home.resolve("lib/runway.aot")).isNotEmptyFile();
        Map<String, String> logged = new HashMap<>(on25);
        logged.put("RUNWAY_JAVA_OPTS", "-Xlog:aot");
        Result second = runway(tmp, logged, "--version");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).as("trained once, then reused").doesNotContain("training");
        assertThat(second.out()).contains("Opened AOT cache " + home.resolve("lib/runway.aot"));
        Result seventeen = runway(tmp, Map.of(), "--version");
        assertThat(seventeen.err()).as("the Java 17 archive is kept beside it").doesNotContain("training");
    }

    @Test
    @Order(5)
    void aTrainingThatFailsIsSaidOnceAndTheCommandRunsWithoutAnArchive() throws Exception {
        Path copy = tmp.resolve("failing-home");
        assertThat(run(tmp, Map.of(), "cp", "-r", home.toString(), copy.toString()).exit()).isZero();
        Files.deleteIfExists(copy.resolve("lib/runway.jsa"));
        Files.deleteIfExists(copy.resolve("lib/runway.jsa.key"));
        String real = ProcessHandle.current().info().command().orElseThrow();
        Path java = Files.createDirectories(tmp.resolve("no-archive-jdk/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a; do case \"$a\" in -XX:ArchiveClassesAtExit=*|-XX:AOTCacheOutput=*) exit 134;;"
                + " esac; done\nexec '" + real + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cwd = Files.createDirectories(tmp.resolve("failing-cwd"));
        List<String> cmd = List.of(copy.resolve("bin/runway").toString(), "--version");
        Result first = run(cwd, env(Map.of("RUNWAY_JAVA", java.toString())), cmd.toArray(String[]::new));
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("runway ");
        assertThat(first.err()).contains("could not train the start-up archive").contains("running without it");
        Result second = run(cwd, env(Map.of("RUNWAY_JAVA", java.toString())), cmd.toArray(String[]::new));
        assertThat(second.exit()).isZero();
        assertThat(second.err()).as("said once, not retried until Java or the jar changes").isEmpty();
        assertThat(copy.resolve("lib/runway.jsa")).doesNotExist();
        try (Stream<Path> left = Files.list(copy.resolve("lib"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp"));
        }
    }

    /** The java of the newest JDK under /usr/lib/jvm whose major version is at least {@code min}, or null. */
    private static Path newestJava(int min) throws IOException {
        Path jdk = Commands.newestJdk(min, "java");
        return jdk == null ? null : jdk.resolve("bin/java");
    }

    @Test
    @Order(5)
    void transparentHugePagesForTheHeapWhereTheKernelGivesThemOnRequest() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("thp"));
        Path enabled = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean onRequest = Files.isReadable(enabled) && Files.readString(enabled).contains("[madvise]");
        Result r = flags(project, Map.of(), "check", "--help");
        assertThat(r.out() + r.err()).as("no JVM warning").doesNotContain("VM warning");
        assertThat(r.out()).containsPattern("bool UseTransparentHugePages\\s+=\\s+" + onRequest + " ");
        Result check = run(project, env(Map.of()), home.resolve("bin/runway").toString(), "check", "--static", "--dir", project.toString());
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).startsWith("0 files checked");
        assertThat(check.out() + check.err()).doesNotContain("VM warning");
    }

    @Test
    @Order(5)
    void oneCompilerThreadOnOneOrTwoCpusWhereOnlyC1Runs() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("compilers"));
        Path online = Path.of("/sys/devices/system/cpu/online");
        int cpus = 0;
        for (String part : Files.readString(online).trim().split(",")) {
            String[] range = part.split("-");
            cpus += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        Result c1 = flags(project, Map.of(), "release", "--help");
        assertThat(c1.out() + c1.err()).as("no JVM warning").doesNotContain("VM warning");
        if (cpus <= 2) {
            assertThat(c1.out()).containsPattern("intx CICompilerCount\\s+=\\s+1 ");
        } else {
            assertThat(c1.out()).doesNotContainPattern("intx CICompilerCount\\s+=\\s+1 ");
        }
        // C2 needs a thread of its own: a backup keeps the JVM's count
        assertThat(flags(project, Map.of(), "backup", "--help").out()).doesNotContainPattern("intx CICompilerCount\\s+=\\s+1 ");
        // a user who chooses the JIT: no count of the launcher's that their choice would refuse
        Result own = run(project, env(Map.of("RUNWAY_JAVA_OPTS", "-XX:TieredStopAtLevel=4")),
                home.resolve("bin/runway").toString(), "status", "--help");
        assertThat(own.exit()).as(own.err()).isZero();
    }

    @Test
    @Order(5)
    void aStaticCheckLoadsEveryClassFromTheStartUpArchiveNotTheJar() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("archived"));
        Files.writeString(project.resolve("1_create.sql"), "-- runway:up\nCREATE TABLE t (id bigint PRIMARY KEY, n integer DEFAULT 0);\n");
        Files.writeString(project.resolve("2_index.sql"), "-- runway:nolint RW101 the table is empty\n-- runway:up\n"
                + "ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now();\nCREATE INDEX t_n ON t (n);\n"
                + "-- runway:nolint RW122 three rows\nUPDATE t SET n = 1 WHERE id < 4;\n");
        Map<String, String> e = new HashMap<>();
        e.put("RUNWAY_JAVA_OPTS", "-Xlog:class+load=info");
        Result r = run(project, env(e), home.resolve("bin/runway").toString(), "check", "--static", "--dir", project.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 files checked").contains("source: shared objects file");
        assertThat(r.out().lines().filter(l -> l.contains("runway.jar")).toList()).as("classes read from the jar").isEmpty();
    }

    /** The TieredStopAtLevel the launcher gave the JVM (1 = C1 only, 4 = C2 too). */
    private static String stopLevel(Path cwd, Map<String, String> extra, String... args) throws Exception {
        Result r = flags(cwd, extra, args);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("intx TieredStopAtLevel\\s+=\\s+(\\d)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return m.group(1);
    }

    /** The launcher run with {@code -XX:+PrintFlagsFinal} added: every JVM flag's final value on stdout. */
    private static Result flags(Path cwd, Map<String, String> extra, String... args) throws Exception {
        Map<String, String> e = new HashMap<>(extra);
        e.put("RUNWAY_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/runway").toString()));
        cmd.addAll(List.of(args));
        Result r = run(cwd, env(e), cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    @Test
    @Order(6)
    void nothingPointsIntoTheCheckoutAndMavenWasNeverRun() throws IOException {
        String checkout = Path.of(System.getProperty("runway.checkout")).toAbsolutePath().normalize().toString();
        assertThat(trap).doesNotExist();
        for (String out : OUTPUTS) {
            assertThat(out).doesNotContain(checkout);
        }
        for (String text : List.of("bin/runway", "README.md")) {
            assertThat(Files.readString(home.resolve(text))).doesNotContain(checkout);
        }
        byte[] jar = Files.readAllBytes(home.resolve("lib/runway.jar"));
        assertThat(new String(jar, StandardCharsets.ISO_8859_1)).doesNotContain(checkout);
    }

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(ENV);
        e.putAll(extra);
        return e;
    }

    private static Result runway(Path cwd, Map<String, String> extra, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/runway").toString()));
        cmd.addAll(List.of(args));
        return run(cwd, env(extra), cmd.toArray(String[]::new));
    }

    private static Result run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        return Commands.run(tmp, OUTPUTS, cwd, env, cmd);
    }
}
