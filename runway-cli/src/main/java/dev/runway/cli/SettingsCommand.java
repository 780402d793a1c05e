package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that reads settings: it names the ones it uses, and {@link RootCommand} (or
 * {@link FastPath}) gives it exactly their flags, from the {@link Setting} registry, so its
 * {@code --help} lists only what it reads.
 */
public abstract class SettingsCommand implements Callable<Integer> {
    @Mixin
    protected CommonOptions common;
    @Mixin
    HelpOption help;
    private final Set<Setting> settings;

    protected SettingsCommand(Set<Setting> settings) {
        this.settings = settings;
    }

    /** Every setting the command reads. */
    final Set<Setting> settings() {
        return settings;
    }
}
