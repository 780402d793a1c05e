package dev.runway.cli;

import dev.runway.cli.config.Setting;
import java.util.Set;

/** A command that reads settings: which ones (its flags, and so its {@code --help}), and the options that receive them. */
interface SettingsUser {
    /** Every setting the command reads. */
    Set<Setting> settings();

    /** Where its flags' values go. */
    CommonOptions common();
}
