package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings flags of one command and its {@code --config}. The flags themselves are not declared
 * here: each command names the {@link Setting}s it uses ({@link SettingsCommand}), and {@link RootCommand}
 * (or {@link FastPath}) turns exactly those into options, from the registry, so {@code --help} lists
 * only what the command reads.
 */
public final class CommonOptions {
    /** The flag naming runway.toml (not a {@link Setting}: it says where settings are read from). */
    static final String CONFIG = "--config";
    /** The run these options belong to (its environment, and its one JSON document). */
    final Invocation invocation;
    /** Values given on the command line. */
    final Map<Setting, String> flags = new EnumMap<>(Setting.class);
    @Option(names = CONFIG, paramLabel = "FILE", description = "Configuration file (default ./runway.toml if present).")
    Path config;

    /** Options of a run ({@link FastPath}, or picocli through {@link RootCommand}'s factory). */
    CommonOptions(Invocation invocation) {
        this.invocation = invocation;
    }

    /** Resolves flags > environment > runway.toml > defaults. */
    public Settings settings() {
        return settings(Map.of());
    }

    /** The same, with values a command takes another way (a positional {@code LOCATION}) among the flags. */
    public Settings settings(Map<Setting, String> more) {
        Map<Setting, String> f = new EnumMap<>(Setting.class);
        f.putAll(flags);
        f.putAll(more);
        return Settings.resolve(f, invocation.env(), config, config != null).withPlaceholderVariables(System.getenv());
    }

    /** Output for these settings. */
    public Output output(Settings s) {
        return output(s.format().equals("json"));
    }

    /** Output of this run, JSON or text. */
    Output output(boolean json) {
        return new Output(invocation.out(), invocation.err(), json, Output.colorWanted(), invocation.documentPrinted());
    }
}
