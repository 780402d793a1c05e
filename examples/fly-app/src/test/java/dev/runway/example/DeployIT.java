package dev.runway.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.bench.rehearsal.AppProcess;
import dev.runway.bench.rehearsal.FlyToml;
import dev.runway.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy artifacts do what they say, without Docker: the Dockerfile's RUN steps run as written
 * (build stage in a copy of the repository, runtime stage in a directory standing for /app), every
 * {@code COPY --from} source exists, fly.toml's release_command runs verbatim (only /app mapped to
 * that directory) against a lab database and migrates it, twice (the second a no-op), and the
 * image's CMD starts the app, which answers fly.toml's health check and stops on kill_signal within
 * kill_timeout.
 */
class DeployIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final Path EXAMPLE = Path.of("").toAbsolutePath();
    static final Path REPO = EXAMPLE.resolve("../..").normalize();

    @Test
    void dockerfileFlyTomlAndReleaseCommand(@TempDir Path tmp) throws Exception {
        Dockerfile docker = Dockerfile.parse(EXAMPLE.resolve("Dockerfile"));
        FlyToml fly = FlyToml.parse(EXAMPLE.resolve("fly.toml"));
        assertThat(fly.internalPort()).as("fly.toml internal_port = server.port of application.properties")
                .isEqualTo(Integer.parseInt(appProperty("server.port")));

        // Build stage: COPY . . is the repository as checked out; RUN steps as written.
        Dockerfile.Stage build = docker.stage("build");
        Path src = tmp.resolve("src");
        copyRepository(src);
        // Offline and with this build's local repository: the same commands, without network.
        Files.createDirectories(src.resolve(".mvn"));
        Files.writeString(src.resolve(".mvn/maven.config"), "-o\n-Dmaven.repo.local=" + localRepository() + "\n");
        for (String run : build.runs()) {
            Commands.Result r = Commands.run(src, Map.of(), 900, List.of("bash", "-c", run));
            assertThat(r.exit()).as("build stage: RUN %s%n%s", run, r.output()).isZero();
        }

        // Runtime stage: COPY --from=build sources exist; RUN steps with /app mapped to a directory.
        Dockerfile.Stage runtime = docker.stages().get(docker.stages().size() - 1);
        assertThat(runtime.workdir()).isEqualTo("/app");
        Path app = tmp.resolve("app");
        Files.createDirectories(app);
        for (Dockerfile.Copy copy : runtime.copies()) {
            assertThat(copy.from()).isEqualTo("build");
            Path from = src.resolve(Path.of(build.workdir()).relativize(Path.of(copy.source())).toString());
            assertThat(from).as("COPY --from=build %s", copy.source()).isDirectory();
            assertThat(copy.target()).isEqualTo("/app/");
            copyTree(from, app);
        }
        assertThat(app.resolve("app.jar")).isRegularFile();
        assertThat(app.resolve("runway.jar")).isRegularFile();
        assertThat(app.resolve("migrations/runway.sum")).isRegularFile();
        assertThat(app.resolve("migrations/data/runway.sum")).isRegularFile();
        for (String run : runtime.runs()) {
            Commands.Result r = Commands.run(app, Map.of(), 300, List.of("bash", "-c", run.replace("/app/", app + "/")));
            assertThat(r.exit()).as("runtime stage: RUN %s%n%s", run, r.output()).isZero();
        }
        assertThat(app.resolve("runway.jsa")).as("the trained start-up archive").isRegularFile();

        // fly.toml's release command, verbatim but for the image root.
        List<String> release = fly.releaseCommand(app);
        Map<String, String> env = Map.of("DATABASE_URL", LAB.url().toUnmaskedString());
        Commands.Result first = Commands.run(app, env, 300, release);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(count("SELECT count(*) FROM runway_schema_history WHERE status = 'applied'")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' AND column_name = 'body'"))
                .as("v3 contract applied").isZero();
        Commands.Result again = Commands.run(app, env, 300, release);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(count("SELECT count(*) FROM runway_schema_history")).isEqualTo(4);
        System.out.println("release_command (first run):\n" + first.output());

        // The image's CMD, with the environment Fly gives a machine in the primary region.
        List<String> cmd = new ArrayList<>();
        for (String part : docker.cmd()) {
            cmd.add(part.replace("/app/", app + "/"));
        }
        try (AppProcess p = AppProcess.start("deploy-it", cmd, Map.of("DATABASE_URL", LAB.url().toUnmaskedString(),
                "FLY_REGION", fly.primaryRegion(), "PRIMARY_REGION", fly.env("PRIMARY_REGION"),
                "RUNWAY_TOKEN_SECRET", "deploy-it-secret-0123456789abcdef01"), tmp.resolve("app.log"))) {
            p.awaitHealthy(fly.checkPath(), Duration.ofSeconds(180));
            assertThat(p.get(fly.checkPath()).body()).contains("\"runway\"").contains("\"UP\"");
            assertThat(p.post("/notes", "{\"owner\":\"ada\",\"text\":\"hello\"}").statusCode()).isEqualTo(201);
            assertThat(p.get("/notes?owner=ada").body()).contains("hello");
            long stopped = p.stop(fly.killSignal(), fly.killTimeout());
            assertThat(stopped).as("ms to stop on %s (kill_timeout %s)", fly.killSignal(), fly.killTimeout())
                    .isLessThan(fly.killTimeout().toMillis());
        }
    }

    private static String appProperty(String key) throws IOException {
        return Files.readAllLines(EXAMPLE.resolve("src/main/resources/application.properties")).stream()
                .filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst().orElseThrow();
    }

    static String localRepository() {
        String repo = System.getProperty("maven.repo.local");
        return repo != null && !repo.isBlank() ? repo : Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }

    /** What {@code COPY . .} copies: the files of the checkout (tracked or not ignored), without build output. */
    private static void copyRepository(Path to) throws IOException {
        Commands.Result ls = Commands.run(REPO, Map.of(), 60, List.of("git", "ls-files", "-co", "--exclude-standard"));
        assertThat(ls.exit()).as(ls.output()).isZero();
        for (String name : ls.output().split("\n")) {
            if (name.isBlank() || name.contains("/target/") || name.startsWith("target/")) {
                continue;
            }
            Path from = REPO.resolve(name);
            if (Files.isRegularFile(from)) {
                Path dest = to.resolve(name);
                Files.createDirectories(dest.getParent());
                Files.copy(from, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
