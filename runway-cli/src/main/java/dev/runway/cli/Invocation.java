package dev.runway.cli;

import dev.runway.cli.config.Setting;
import dev.runway.cli.output.Output;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One run of the {@code runway} command line: its arguments, the environment it reads, where it
 * writes, and whether it already printed its JSON document. Under {@code --format json} stdout
 * carries exactly one document for every outcome: a command prints its own (through {@link Output}),
 * and {@link Main} prints an error document for a failure that came before any (a bad flag or
 * runway.toml, an unreachable database, an interrupt). Not thread-safe: one per run.
 */
final class Invocation {
    private final String[] args;
    private final Function<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean documentPrinted = new AtomicBoolean();

    Invocation(String[] args, Function<String, String> env, PrintStream out, PrintStream err) {
        this.args = args.clone();
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** For objects made outside a run (never printing a document). */
    static Invocation detached() {
        return new Invocation(new String[0], System::getenv, System.out, System.err);
    }

    Function<String, String> env() {
        return env;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Set by {@link Output} when it prints the run's JSON document. */
    AtomicBoolean documentPrinted() {
        return documentPrinted;
    }

    /**
     * Whether the user asked for JSON, judged without resolving any setting (the failure being reported
     * may be a bad setting): {@code --format json} on the command line; else, when no {@code --format}
     * was given, {@code RUNWAY_FORMAT}, else {@code format} in runway.toml (if it parses).
     */
    boolean jsonWanted() {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals(Setting.FORMAT.flag()) && i + 1 < args.length) {
                return args[i + 1].equals("json");
            }
            if (a.startsWith(Setting.FORMAT.flag() + "=")) {
                return a.substring(Setting.FORMAT.flag().length() + 1).equals("json");
            }
            if (a.equals(CommonOptions.CONFIG) && i + 1 < args.length) {
                config = Path.of(args[i + 1]);
            } else if (a.startsWith(CommonOptions.CONFIG + "=")) {
                config = Path.of(a.substring(CommonOptions.CONFIG.length() + 1));
            }
        }
        String e = env.apply(Setting.FORMAT.env());
        if (e != null && !e.isEmpty()) {
            return e.equals("json");
        }
        Path toml = config != null ? config : Path.of("runway.toml");
        if (!Files.isRegularFile(toml)) {
            return false;
        }
        try {
            return "json".equals(org.tomlj.Toml.parse(toml).getString(Setting.FORMAT.key()));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return false; // the error being reported may be this very file
        }
    }
}
