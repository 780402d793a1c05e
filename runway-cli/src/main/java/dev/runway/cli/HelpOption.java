package dev.runway.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for a subcommand (only {@code runway} itself also has {@code --version}). */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
