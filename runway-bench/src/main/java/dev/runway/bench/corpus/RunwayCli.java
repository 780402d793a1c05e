package dev.runway.bench.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code runway} command line (the jar the build makes), as a new user would, and reads
 * its one JSON document. Immutable.
 */
final class RunwayCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One command's outcome: exit code, the JSON document (or null), stderr, where its output was kept,
     * and the temporary directory prefix that {@link #clean} removes from messages.
     */
    record Result(int exit, JsonNode json, String stderr, Path log, String prefix) {
        /** The message without the harness's temporary directory, so paths read as in the project. */
        String clean(String message) {
            return message.replace(prefix + "/migrations/", "").replace(prefix + "/", "");
        }

        boolean ok() {
            return exit == 0;
        }

        /** A one-line account of the failure: the JSON error message, else the first stderr line. */
        String error() {
            if (ok()) {
                return null;
            }
            String msg = json != null && json.path("error").hasNonNull("message") ? json.path("error").path("message").asText()
                    : stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no output)");
            return "exit " + exit + ": " + clean(msg.replaceAll("\\s+", " "));
        }
    }

    private final Path jar;
    private final Path cwd;

    RunwayCli(Path jar, Path cwd) {
        this.jar = jar;
        this.cwd = cwd;
    }

    Result run(String label, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        cmd.addAll(args);
        Path out = cwd.resolve(label + ".stdout");
        Path err = cwd.resolve(label + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DATABASE_URL");
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return new Result(124, null, "timed out after 30 minutes", out, cwd.toString());
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        JsonNode json = null;
        if (stdout.trim().startsWith("{")) {
            try {
                json = JSON.readTree(stdout);
            } catch (IOException e) {
                json = null;
            }
        }
        return new Result(p.exitValue(), json, Files.readString(err, StandardCharsets.UTF_8), out, cwd.toString());
    }
}
