package dev.runway.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.junit.LabExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application outside this repository (src/it/outside-app, copied to a temp directory) builds
 * against Runway's artifacts as published - from a local repository that holds only what
 * {@code invoker:install} put there - compiles against runway-datasource, and runs the plugin's goals:
 * {@code runway:hash}, {@code runway:migrate} onto a lab database, {@code runway:status},
 * {@code runway:verify}, and {@code runway:check}, which fails the build on a blocking migration with
 * the rule id in the build output and writes SARIF when asked.
 */
class OutsideProjectIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();

    @TempDir
    static Path tmp;

    static Path app;
    static Path settings;

    @BeforeAll
    static void copyTheApplication() throws IOException {
        app = tmp.resolve("outside-app");
        Path template = Path.of("src/it/outside-app");
        try (Stream<Path> files = Files.walk(template)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = app.resolve(template.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    String text = Files.readString(f);
                    for (String p : List.of("runway.version", "compiler.version", "resources.version", "jar.version", "surefire.version")) {
                        text = text.replace("@" + p + "@", System.getProperty(p));
                    }
                    Files.writeString(to, text);
                }
            }
        }
        // The local repository is the one invoker:install made: Runway's artifacts as published and what
        // they depend on, nothing from this checkout. Maven's own plugins come from the build machine's
        // repository (a file:// repository; Maven Central stays the fallback).
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
        settings = tmp.resolve("settings.xml");
        Files.writeString(settings, "<settings><localRepository>" + System.getProperty("runway.itRepo") + "</localRepository>"
                + "<profiles><profile><id>local</id>"
                + repositories("repositories", "repository", m2)
                + repositories("pluginRepositories", "pluginRepository", m2)
                + "</profile></profiles><activeProfiles><activeProfile>local</activeProfile></activeProfiles></settings>");
        Files.createDirectories(app.resolve("db/migrations"));
        write("20250101000000_create_accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, name text);", "DROP TABLE accounts;");
    }

    private static String repositories(String outer, String inner, Path... dirs) {
        StringBuilder b = new StringBuilder("<" + outer + ">");
        int i = 0;
        for (Path d : dirs) {
            b.append("<").append(inner).append("><id>local-").append(i++).append("</id><url>").append(d.toUri())
                    .append("</url><releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots></")
                    .append(inner).append(">");
        }
        return b.append("</").append(outer).append(">").toString();
    }

    private static void write(String name, String up, String down) throws IOException {
        Files.writeString(app.resolve("db/migrations").resolve(name), "-- runway:up\n" + up + "\n-- runway:down\n" + down + "\n");
    }

    @Test
    void buildsAgainstThePublishedArtifactsAndMigratesChecksAndFailsWithTheRuleId() throws Exception {
        Result migrate = mvn(Map.of("DATABASE_URL", LAB.url().toUnmaskedString()),
                "runway:hash", "package", "runway:migrate", "runway:status");
        assertThat(migrate.exit).as(migrate.out).isZero();
        assertThat(app.resolve("db/migrations/runway.sum")).exists();
        assertThat(migrate.out).contains("Compiling 1 source file").contains("CREATE TABLE accounts").contains("BUILD SUCCESS");
        assertThat(migrate.out).contains("20250101000000").contains("applied");
        assertThat(tableCount("accounts")).isEqualTo(1);

        write("20250102000000_index_accounts_name.sql", "CREATE INDEX accounts_name ON accounts (name);", "DROP INDEX accounts_name;");
        Result check = mvn(Map.of(), "runway:hash", "runway:verify", "runway:check", "-Drunway.sarif=target/runway.sarif");
        Files.writeString(Path.of("target/outside-app-check.log"), check.out);
        assertThat(check.exit).as(check.out).isNotZero();
        assertThat(check.out).contains("ok: 2 schema and 0 data migrations parse").contains("BUILD FAILURE")
                .contains("error RW101 index-not-concurrent").contains("runway check failed (exit 3, check findings blocked the run)");
        assertThat(Files.readString(app.resolve("target/runway.sarif"))).contains("\"ruleId\"").contains("RW101");
        assertThat(tableCount("accounts")).isEqualTo(1);
    }

    private static long tableCount(String table) throws Exception {
        try (Connection c = LAB.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    record Result(int exit, String out) {
    }

    private static Result mvn(Map<String, String> env, String... goals) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-s", settings.toString()));
        cmd.addAll(List.of(goals));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(app.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("RUNWAY_") || k.equals("MAVEN_ARGS"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "mvn", ".txt");
        Process p = pb.redirectOutput(out.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", goals) + " did not finish in 300 s");
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
