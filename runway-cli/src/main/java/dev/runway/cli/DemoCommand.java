package dev.runway.cli;

import dev.runway.cli.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway demo}: the whole story on an embedded lab, for a newcomer. */
@Command(name = "demo", description = {
        "Start a throw-away lab (primary + replica), release the example migrations, show status, show a failing",
        "migration rolled back with nothing left behind, and two concurrent releases where one waits and finds",
        "nothing to do. Stops everything it started. Takes well under a minute."})
final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    HelpOption help;
    @Option(names = "--pg", paramLabel = "VERSION", description = "PostgreSQL major version for the lab (default: the system's).")
    String pg;

    @Override
    public Integer call() throws Exception {
        return new Demo(System.out, pg).run();
    }
}
