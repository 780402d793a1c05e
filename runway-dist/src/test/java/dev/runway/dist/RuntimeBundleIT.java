package dev.runway.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.backup.S3ProxyServer;
import dev.runway.dist.Commands.Result;
import dev.runway.lab.junit.LabExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-contained bundle, runway-VERSION-linux-ARCH.tar.gz: the portable bundle plus runtime/, a Java 25+ runtime
 * linked from the modules Runway uses. Unpacked into an empty directory, it runs on its own runtime whatever JAVA_HOME
 * and PATH say (RUNWAY_JAVA still wins), trains its ahead-of-time cache with it, and that runtime carries what every
 * command needs: the demo's lab and the example files read from the jar, a release and its status against a database,
 * a backup to an S3 API (S3Proxy) before a release, a static check. The build makes the bundle wherever a JDK 25 or
 * newer with jlink is under /usr/lib/jvm, as on this kind of machine; only where there is none is this test skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RuntimeBundleIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    static Path tmp;

    static Path home;
    static S3ProxyServer s3;
    static final List<String> OUTPUTS = new ArrayList<>();
    /** A Java 17 where a user's machine would have one: JAVA_HOME and PATH point at it, and the bundle must not use it. */
    static final Map<String, String> ENV = new HashMap<>();

    @BeforeAll
    static void unpack() throws Exception {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x64";
        Path bundle = Path.of(System.getProperty("runway.bundleDir"), "runway-" + System.getProperty("runway.version") + "-linux-" + arch + ".tar.gz");
        if (!Files.exists(bundle)) {
            Assumptions.assumeTrue(Commands.newestJdk(25, "jlink") != null, "no JDK 25 or newer with jlink under /usr/lib/jvm: no self-contained bundle");
        }
        assertThat(bundle).as("a JDK 25+ with jlink is here: mvn package builds the self-contained bundle").exists();
        Path install = Files.createDirectories(tmp.resolve("opt"));
        Result tar = Commands.run(tmp, OUTPUTS, install, Map.of(), "tar", "xzf", bundle.toString());
        assertThat(tar.exit()).as(tar.err()).isZero();
        home = install.resolve("runway-" + System.getProperty("runway.version"));
        Path java17 = Path.of(System.getProperty("java.home"));
        ENV.put("JAVA_HOME", java17.toString());
        ENV.put("PATH", java17.resolve("bin") + ":" + System.getenv("PATH"));
        ENV.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void holdsAJava25RuntimeOfTheModulesRunwayUses() throws Exception {
        Path runtime = home.resolve("runtime");
        assertThat(runtime.resolve("bin/java")).isExecutable();
        assertThat(Commands.major(runtime)).isGreaterThanOrEqualTo(25);
        assertThat(runtime.resolve("legal/java.base")).isDirectory();
        Result modules = Commands.run(tmp, OUTPUTS, tmp, Map.of(), runtime.resolve("bin/java").toString(), "--list-modules");
        assertThat(modules.exit()).isZero();
        assertThat(modules.out()).contains("java.sql@").contains("jdk.zipfs@").contains("java.net.http@").doesNotContain("jdk.compiler@");
        assertThat(home.resolve("lib/runway.jar")).isRegularFile();
        assertThat(home.resolve("bin/runway")).isExecutable();
    }

    @Test
    @Order(2)
    void runsOnItsOwnRuntimeWhateverJavaHomeSaysAndTrainsItsAheadOfTimeCache() throws Exception {
        Result first = runway(tmp, Map.of(), "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("runway " + System.getProperty("runway.version"));
        assertThat(first.err()).contains("training the start-up archive").doesNotContain("could not train");
        assertThat(home.resolve("lib/runway.aot")).as("an AOT cache: Java 25+, so not JAVA_HOME's Java 17").isNotEmptyFile();
        assertThat(Files.readString(home.resolve("lib/runway.aot.key"))).startsWith(home.resolve("runtime/bin/java").toRealPath() + " 25");
        assertThat(home.resolve("lib/runway.jsa")).doesNotExist();
        Result second = runway(tmp, Map.of("RUNWAY_JAVA_OPTS", "-Xlog:aot"), "--version");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).as("trained once, then reused").doesNotContain("training");
        assertThat(second.out()).contains("Opened AOT cache " + home.resolve("lib/runway.aot"));
    }

    @Test
    @Order(3)
    void runwayJavaStillChoosesTheJava() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin/java");
        Result r = runway(tmp, Map.of("RUNWAY_JAVA", java.toString()), "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("training the start-up archive");
        // this JVM's archive (runway.jsa on Java 17-24, runway.aot on 25+), keyed to RUNWAY_JAVA's runtime
        Path key = home.resolve(Runtime.version().feature() >= 25 ? "lib/runway.aot.key" : "lib/runway.jsa.key");
        assertThat(Files.readString(key)).startsWith(java.toRealPath() + " ");
    }

    @Test
    @Order(4)
    void theDemoRunsOnIt() throws Exception {
        Result demo = runway(Files.createDirectories(tmp.resolve("demo")), Map.of(), "demo");
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("exactly once");
    }

    @Test
    @Order(5)
    void backsUpToS3ThenReleasesAndChecksOnIt() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project/migrations"));
        Files.writeString(project.resolve("20250301120000_create_accounts.sql"),
                "-- runway:up\nCREATE TABLE accounts (id bigint PRIMARY KEY, name text);\n-- runway:down\nDROP TABLE accounts;\n");
        Path cwd = project.getParent();
        assertThat(runway(cwd, Map.of(), "hash").exit()).isZero();
        s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3proxy")));
        String bucket = s3.createBucket("runtime-bundle");
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("DATABASE_URL", LAB.url().toUnmaskedString());
        Result release = runway(cwd, env, "release", "--backup", "s3");
        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        assertThat(release.out()).contains("CREATE TABLE accounts");
        try (Stream<Path> stored = Files.walk(s3.bucketDir(bucket))) {
            assertThat(stored.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".dump")).anyMatch(n -> n.endsWith(".sha256"));
        }
        Result status = runway(cwd, env, "status", "--format", "json");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("\"pending\"\\s*:\\s*0\\b");
        Result check = runway(cwd, Map.of(), "check", "--static");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).startsWith("1 file checked");
        for (String out : OUTPUTS) {
            assertThat(out).doesNotContain(S3ProxyServer.SECRET).doesNotContain("internal error");
        }
    }

    private static Result runway(Path cwd, Map<String, String> extra, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(ENV);
        env.putAll(extra);
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/runway").toString()));
        cmd.addAll(List.of(args));
        return Commands.run(tmp, OUTPUTS, cwd, env, cmd.toArray(String[]::new));
    }
}
