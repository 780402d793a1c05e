package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds processes whose command line mentions a lab dir (postmasters run with -D DIR/node, the proxy process with DIR). */
public final class Leftovers {
    private Leftovers() {
    }

    /** "pid: cmdline" of every live process (other than this JVM) mentioning {@code dir}. */
    public static List<String> under(Path dir) {
        String needle = dir.toAbsolutePath().normalize().toString();
        List<String> out = new ArrayList<>();
        long me = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid != me && cmd.contains(needle)) {
                        out.add(pid + ": " + cmd.trim());
                    }
                } catch (IOException | RuntimeException e) {
                    // process ended while we looked
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /** Asserts that within {@code seconds} nothing runs under {@code dir} any more. */
    public static void assertNoneWithin(Path dir, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<String> left = under(dir);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = under(dir);
        }
        assertThat(left).as("processes still running under " + dir).isEmpty();
    }
}
