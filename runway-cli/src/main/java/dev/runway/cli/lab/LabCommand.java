package dev.runway.cli.lab;

import dev.runway.core.RunwayException;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code runway lab up|status|env|down}: a local primary + replicas that persists between invocations. */
@Command(name = "lab", description = {"A local PostgreSQL primary with streaming replicas (and simulated distance) for development,",
                "tests and demos. State lives in --dir (default ./.runway/lab, or RUNWAY_LAB_DIR)."},
        subcommands = {LabUp.class, LabStatusCommand.class, LabEnv.class, LabDown.class})
public final class LabCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Override
    public void run() {
        throw RunwayException.usage("lab: give a subcommand: up, status, env or down (see 'runway lab --help')");
    }

    /** The lab directory: --dir, else RUNWAY_LAB_DIR, else ./.runway/lab. */
    static Path dir(Path flag) {
        if (flag != null) {
            return flag.toAbsolutePath().normalize();
        }
        String env = System.getenv("RUNWAY_LAB_DIR");
        return (env != null && !env.isEmpty() ? Path.of(env) : Path.of(".runway", "lab")).toAbsolutePath().normalize();
    }
}
