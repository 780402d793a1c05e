package dev.runway.bench.rehearsal;

import dev.runway.core.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** The parts of a fly.toml that the deploy test and the rehearsal run as written. Immutable. */
public final class FlyToml {
    private final TomlParseResult toml;
    private final Path file;

    private FlyToml(Path file, TomlParseResult toml) {
        this.file = file;
        this.toml = toml;
    }

    public static FlyToml parse(Path file) throws IOException {
        TomlParseResult r = Toml.parse(file);
        if (r.hasErrors()) {
            throw new IllegalArgumentException(file + ": " + r.errors().get(0));
        }
        return new FlyToml(file, r);
    }

    private String string(String key) {
        String v = toml.getString(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": no " + key);
        }
        return v;
    }

    /**
     * {@code [deploy] release_command} as the machine runs it: split on spaces (it has no quoting),
     * with the image's {@code /app/} mapped to {@code root}.
     */
    public List<String> releaseCommand(Path root) {
        String cmd = string("deploy.release_command");
        if (cmd.contains("\"") || cmd.contains("'")) {
            throw new IllegalArgumentException(file + ": release_command with quotes is not supported here");
        }
        List<String> out = new ArrayList<>();
        for (String part : cmd.trim().split("\\s+")) {
            out.add(part.replace("/app/", root.toAbsolutePath() + "/"));
        }
        return out;
    }

    public String primaryRegion() {
        return string("primary_region");
    }

    public String env(String key) {
        return string("env." + key);
    }

    public int internalPort() {
        return Math.toIntExact(toml.getLong("http_service.internal_port"));
    }

    /** The path of the first {@code [[http_service.checks]]}. */
    public String checkPath() {
        TomlArray checks = toml.getArray("http_service.checks");
        if (checks == null || checks.isEmpty()) {
            throw new IllegalArgumentException(file + ": no [[http_service.checks]]");
        }
        TomlTable first = checks.getTable(0);
        return first.getString("path");
    }

    public String killSignal() {
        return string("kill_signal");
    }

    public Duration killTimeout() {
        return Durations.parse(string("kill_timeout"), file + " kill_timeout");
    }
}
