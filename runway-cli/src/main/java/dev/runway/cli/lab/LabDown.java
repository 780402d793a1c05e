package dev.runway.cli.lab;

import dev.runway.lab.Lab;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway lab down}. */
@Command(name = "down", description = "Stop the lab's servers and proxies; --clean also deletes its directory.")
final class LabDown implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default ./.runway/lab or RUNWAY_LAB_DIR).")
    Path dir;
    @Option(names = "--clean", description = "Delete the lab directory (data and logs) too.")
    boolean clean;

    @Override
    public Integer call() {
        Lab lab = Lab.open(LabCommand.dir(dir));
        if (clean) {
            lab.destroy();
            System.out.println("Lab stopped and " + lab.dir() + " deleted.");
        } else {
            lab.stop();
            System.out.println("Lab stopped; data kept in " + lab.dir() + " ('runway lab up' restarts it, 'lab down --clean' deletes it).");
        }
        return 0;
    }
}
