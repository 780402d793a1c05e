package dev.runway.bench.rehearsal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The rolling-deploy rehearsal of examples/fly-app: the app's instances in the primary region
 * ({@code ams}) and in a far region ({@code syd}, reading from the replica) as separate JVMs under
 * steady load from users with cookies, while releases run exactly as fly.toml's release_command
 * says and instances are replaced one by one.
 *
 * <p>{@link #safe}: v1 → release v2 (expand + backfill) → roll ams, roll syd → release v3
 * (contract). {@link #breaking}: the control, v1 then a v2 migration that renames the column v1
 * reads, applied with {@code runway migrate} (no gate), after {@code runway check} has been asked
 * about it. Each phase's failed requests, stale reads and latency go into the {@link Report}.
 */
public final class Rehearsal {
    private static final String PRIMARY_REGION = "ams";
    private static final String FAR_REGION = "syd";
    private static final String SECRET = "rehearsal-token-secret-0123456789abcdef";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final String V1_STEADY = "v1 steady";

    /** The outcome: the phases, plus (control only) what {@code runway check} said before. */
    public record Report(String name, List<PhaseStats> phases, int checkExit, String checkOutput, Map<String, String> releases) {
        public int failed() {
            return phases.stream().mapToInt(PhaseStats::failed).sum();
        }

        public int stale() {
            return phases.stream().mapToInt(PhaseStats::stale).sum();
        }

        public int requests() {
            return phases.stream().mapToInt(PhaseStats::requests).sum();
        }

        public String markdown() {
            StringBuilder b = new StringBuilder(PhaseStats.table(phases));
            b.append(String.format("%nTotal: %d requests, %d failed, %d stale.%n", requests(), failed(), stale()));
            releases.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
            if (checkOutput != null) {
                b.append("- runway check on the breaking migration, before the deploy: exit ").append(checkExit).append('\n');
            }
            for (PhaseStats p : phases) {
                for (String e : p.examples()) {
                    b.append("- ").append(p.phase()).append(": ").append(e).append('\n');
                }
            }
            return b.toString();
        }
    }

    private final RehearsalConfig config;
    private final FlyToml fly;
    private final List<String> phases = new ArrayList<>();
    private final Map<String, Long> phaseMillis = new LinkedHashMap<>();
    private final Map<String, String> releases = new LinkedHashMap<>();
    private final List<AppProcess> all = new ArrayList<>();
    private Traffic traffic;

    private Rehearsal(RehearsalConfig config) throws IOException {
        this.config = config;
        this.fly = FlyToml.parse(config.exampleDir().resolve("fly.toml"));
    }

    /** The safe deploy: expand, backfill, roll, contract. */
    public static Report safe(RehearsalConfig config) throws Exception {
        return new Rehearsal(config).runSafe();
    }

    /** The control: a one-step rename while v1 runs. */
    public static Report breaking(RehearsalConfig config) throws Exception {
        return new Rehearsal(config).runBreaking();
    }

    private Report runSafe() throws Exception {
        Path migrations = config.exampleDir().resolve("migrations");
        Path v1 = stage("v1", migrations, name -> name.startsWith("20250401"));
        Path v2 = stage("v2", migrations, name -> name.startsWith("20250401") || name.startsWith("20250402"));
        Path v3 = stage("v3", migrations, name -> true);
        try {
            release("release v1", v1);
            seed();
            startV1();
            phase(V1_STEADY, () -> sleep(config.phase()));
            phase("release v2 (expand + backfill)", () -> release("release v2", v2));
            phase("roll ams: v2 up, v1 down", () -> roll(PRIMARY_REGION, "v2"));
            phase("roll syd: v2 up, v1 down", () -> roll(FAR_REGION, "v2"));
            phase("v2 steady", () -> sleep(config.phase()));
            phase("release v3 (contract)", () -> release("release v3", v3));
            phase("v3 steady", () -> sleep(config.phase()));
            return new Report("safe", PhaseStats.of(phases, phaseMillis, traffic.stop()), 0, null, releases);
        } finally {
            stopAll();
        }
    }

    private Report runBreaking() throws Exception {
        Path migrations = config.exampleDir().resolve("migrations");
        Path v1 = stage("v1", migrations, name -> name.startsWith("20250401"));
        Path bad = stage("v2-breaking", migrations, name -> name.startsWith("20250401"));
        try (Stream<Path> files = Files.list(config.exampleDir().resolve("rehearsal/breaking"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, bad.resolve("migrations").resolve(f.getFileName()));
            }
        }
        hash(bad);
        try {
            Run check = runway(bad, "check", "--dir", bad.resolve("migrations").toString());
            release("release v1", v1);
            seed();
            startV1();
            phase(V1_STEADY, () -> sleep(config.phase()));
            phase("migrate v2-breaking (rename, no gate)", () -> {
                Run r = runway(bad, "migrate", "--dir", bad.resolve("migrations").toString());
                releases.put("runway migrate v2-breaking", "exit " + r.exit);
            });
            phase("v1 after the rename", () -> sleep(config.phase()));
            return new Report("breaking", PhaseStats.of(phases, phaseMillis, traffic.stop()), check.exit, check.output, releases);
        } finally {
            stopAll();
        }
    }

    /** A step that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    private void phase(String name, Step step) throws Exception {
        phases.add(name);
        traffic.phase(name);
        long start = System.nanoTime();
        step.run();
        phaseMillis.put(name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** An image root for a release: runway.jar and the migrations it ships (runway.sum as that commit would have it). */
    private Path stage(String name, Path migrations, Predicate<String> keep) throws IOException {
        Path root = config.workDir().resolve(name);
        Path dir = root.resolve("migrations");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(config.runwayJar(), root.resolve("runway.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String sub : new String[] {"", "data"}) {
            try (Stream<Path> files = Files.list(migrations.resolve(sub))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".sql") && keep.test(n)) {
                        Files.copy(f, dir.resolve(sub).resolve(n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        hash(root);
        return root;
    }

    private void hash(Path root) {
        Run r = runway(root, "hash", "--dir", root.resolve("migrations").toString());
        if (r.exit != 0) {
            throw new IllegalStateException("runway hash failed: " + r.output);
        }
    }

    /** fly.toml's release_command for the image rooted at {@code root}, verbatim but for /app. */
    private void release(String label, Path root) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Run r = run(root, fly.releaseCommand(root));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        releases.put(label, "exit " + r.exit + " in " + ms + " ms");
        if (r.exit != 0) {
            throw new IllegalStateException(label + " failed (exit " + r.exit + "):\n" + r.output);
        }
    }

    private record Run(int exit, String output) {
    }

    private Run runway(Path root, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                root.resolve("runway.jar").toString()));
        cmd.addAll(List.of(args));
        try {
            return run(root, cmd);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Run run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile(config.workDir(), "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("RUNWAY_") || k.startsWith("FLY_"));
        pb.environment().put("DATABASE_URL", config.primary().toUnmaskedString());
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 10 minutes");
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Rows written before v2: what the backfill walks. */
    private void seed() throws Exception {
        try (Connection c = DriverManager.getConnection(config.primary().jdbcUrl(), config.primary().properties());
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO notes (id, owner, body) OVERRIDING SYSTEM VALUE SELECT g, 'seed-' || (g % 1000), 'seed note ' || g "
                    + "FROM generate_series(1, " + config.seedRows() + ") g");
            st.execute("SELECT setval(pg_get_serial_sequence('notes', 'id'), " + Math.max(1, config.seedRows()) + ")");
        }
    }

    private AppProcess instance(String region, String release) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(config.jvmOptions());
        cmd.addAll(List.of("-jar", config.appJar().toString()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", config.primary().toUnmaskedString());
        env.put("FLY_REGION", region);
        env.put("PRIMARY_REGION", fly.primaryRegion());
        env.put("RUNWAY_TOKEN_SECRET", SECRET);
        env.put("APP_RELEASE", release);
        if (!region.equals(fly.primaryRegion())) {
            env.put("RUNWAY_REPLICA_URL", config.replica().toUnmaskedString());
        }
        String name = release + "-" + region;
        AppProcess p = AppProcess.start(name, cmd, env, config.workDir().resolve("logs").resolve(name + ".log"));
        all.add(p);
        return p;
    }

    private void startV1() throws Exception {
        AppProcess ams = instance(PRIMARY_REGION, "v1");
        AppProcess syd = instance(FAR_REGION, "v1");
        ams.awaitHealthy(fly.checkPath(), START_TIMEOUT);
        syd.awaitHealthy(fly.checkPath(), START_TIMEOUT);
        traffic = new Traffic(config.users(), config.seedRows(), Duration.ofMillis(20), List.of(PRIMARY_REGION, FAR_REGION), V1_STEADY);
        traffic.add(PRIMARY_REGION, ams);
        traffic.add(FAR_REGION, syd);
        traffic.start();
    }

    /** Replaces the region's instance: the new one starts and passes its health check, then the old one leaves the routing and stops. */
    private void roll(String region, String release) throws Exception {
        AppProcess old = all.stream().filter(p -> p.name().endsWith("-" + region) && p.isAlive()).findFirst().orElseThrow();
        AppProcess next = instance(region, release);
        next.awaitHealthy(fly.checkPath(), START_TIMEOUT);
        traffic.add(region, next);
        traffic.remove(old);
        Thread.sleep(200); // requests already routed to it go out before the signal, as the proxy drains a machine
        long ms = old.stop(fly.killSignal(), fly.killTimeout());
        releases.put("stop " + old.name(), fly.killSignal() + ", exited in " + ms + " ms (kill_timeout " + fly.killTimeout().toSeconds() + " s)");
    }

    private void stopAll() {
        if (traffic != null) {
            try {
                traffic.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AppProcess p : all) {
            p.close();
        }
    }
}
