package dev.runway.lab.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What must not outlive this JVM: a shutdown hook closes every registered lab, and for temp labs a
 * detached watchdog shell stops the servers and deletes the dir if the JVM dies without running hooks
 * (kill -9). The registry is the module's only static mutable state. Thread-safe.
 */
public final class Cleanup {
    private static final Logger LOG = Logger.getLogger(Cleanup.class.getName());
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled;

    /** Stops the postmasters and PgBouncers of {@code $2} once PID {@code $1} is gone, then deletes {@code $2}. */
    private static final String WATCHDOG = String.join("\n",
            "jvm=$1; dir=$2",
            "while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done",
            "for sig in QUIT KILL; do",
            "  for f in \"$dir\"/*/postmaster.pid \"$dir\"/*/pgbouncer.pid; do",
            "    [ -f \"$f\" ] || continue",
            "    p=$(head -n 1 \"$f\")",
            "    case \"$(tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null)\" in *\"$dir\"*) kill -$sig \"$p\" 2>/dev/null;; esac",
            "  done",
            "  sleep 2",
            "done",
            "rm -rf \"$dir\"");

    private Cleanup() {
    }

    /** Closes {@code c} at JVM exit unless {@link #unregister} was called first. */
    public static void register(AutoCloseable c) {
        synchronized (HOOK_LOCK) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "runway-lab-cleanup"));
                hookInstalled = true;
            }
        }
        OPEN.add(c);
    }

    public static void unregister(AutoCloseable c) {
        OPEN.remove(c);
    }

    private static void closeAll() {
        List<Thread> threads = new ArrayList<>();
        for (AutoCloseable c : OPEN) {
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "closing " + c + " at exit failed", e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Spawns the detached watchdog for a temp lab dir. Destroy the returned process when the lab
     * closes normally.
     */
    public static Process spawnWatchdog(Path dir) {
        List<String> cmd = List.of("setsid", "sh", "-c", WATCHDOG, "runway-lab-watchdog",
                Long.toString(ProcessHandle.current().pid()), dir.toString());
        try {
            return Os.builder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            LOG.warning("cannot start the lab watchdog (" + e.getMessage() + "); a kill -9 of this JVM would leave servers in " + dir);
            return null;
        }
    }
}
