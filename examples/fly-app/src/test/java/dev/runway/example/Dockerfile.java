package dev.runway.example;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instructions of a Dockerfile that the deploy test executes or checks: stages ({@code FROM ...
 * AS name}), WORKDIR, RUN, COPY and CMD (exec form). Anything else it does not understand fails the
 * test, so the file cannot grow steps the test silently skips.
 */
record Dockerfile(List<Stage> stages, List<String> cmd) {
    record Copy(String from, String source, String target) {
    }

    record Stage(String name, String image, String workdir, List<String> runs, List<Copy> copies) {
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst().orElseThrow(() -> new AssertionError("no stage " + name));
    }

    static Dockerfile parse(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        List<String> cmd = null;
        String name = null;
        String image = null;
        String workdir = null;
        List<String> runs = null;
        List<Copy> copies = null;
        int n = 0;
        for (String line : Files.readAllLines(file)) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.endsWith("\\")) {
                throw new AssertionError(file + ":" + n + ": line continuations are not supported by this test");
            }
            String[] w = l.split("\\s+", 2);
            String arg = w.length > 1 ? w[1] : "";
            switch (w[0]) {
                case "FROM" -> {
                    if (image != null) {
                        stages.add(new Stage(name, image, workdir, runs, copies));
                    }
                    String[] f = arg.split("\\s+");
                    image = f[0];
                    name = f.length == 3 && f[1].equalsIgnoreCase("AS") ? f[2] : null;
                    workdir = "/";
                    runs = new ArrayList<>();
                    copies = new ArrayList<>();
                }
                case "WORKDIR" -> workdir = arg;
                case "RUN" -> runs.add(arg);
                case "COPY" -> {
                    List<String> parts = new ArrayList<>(Arrays.asList(arg.split("\\s+")));
                    String from = parts.get(0).startsWith("--from=") ? parts.remove(0).substring("--from=".length()) : null;
                    if (from != null) {
                        copies.add(new Copy(from, parts.get(0), parts.get(1)));
                    }
                }
                case "CMD" -> cmd = Arrays.asList(new ObjectMapper().readValue(arg, String[].class));
                case "EXPOSE" -> {
                    // documentation only
                }
                default -> throw new AssertionError(file + ":" + n + ": instruction " + w[0] + " is not understood by this test");
            }
        }
        stages.add(new Stage(name, image, workdir, runs, copies));
        return new Dockerfile(stages, cmd);
    }
}
