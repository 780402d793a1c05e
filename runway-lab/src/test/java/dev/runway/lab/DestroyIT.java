package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.lab.internal.Dirs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * destroy() stops the servers immediately (no shutdown checkpoint for pages it deletes next) and leaves neither a
 * server nor the dir; stopNow() on its own is a crash the next start recovers from.
 */
class DestroyIT {
    @TempDir
    Path tmp;

    @Test
    void destroyStopsImmediatelyAndLeavesNothing() throws Exception {
        Path log = tmp.resolve("primary.log");
        Path dir;
        long pid;
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            Node n = lab.primary();
            dir = lab.dir();
            pid = n.pid();
            // a second name for the server's log, which outlives the dir (same file system: both under /tmp)
            Files.createLink(log, n.logFile());
            lab.destroy();
        }
        assertThat(Files.readString(log)).contains("received immediate shutdown request").doesNotContain("fast shutdown request");
        assertThat(dir).doesNotExist();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("postmaster %d gone", pid).isFalse();
    }

    @Test
    void stopNowIsACrashTheNextStartRecoversFrom() throws Exception {
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            Node n = lab.primary();
            n.stopNow();
            assertThat(n.pid()).isZero();
            n.start();
            assertThat(Files.readString(n.logFile())).contains("received immediate shutdown request")
                    .contains("database system was interrupted");
        }
    }

    @Test
    void deleteTreeDeletesNestedReadOnlyTreesAndMissingIsFine() throws Exception {
        Path t = Files.createDirectories(tmp.resolve("t/a/b"));
        Files.writeString(t.resolve("f"), "x");
        t.resolve("f").toFile().setReadOnly();
        Dirs.deleteTree(tmp.resolve("t"));
        assertThat(tmp.resolve("t")).doesNotExist();
        Dirs.deleteTree(tmp.resolve("t"));
        Dirs.deleteTree(null);
    }
}
