package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runway.core.RunwayException;
import dev.runway.lab.internal.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The root fallback when user namespaces are unavailable: {@code RUNWAY_LAB_RUN_AS=postgres} runs
 * the servers as that user (via setpriv), temp and persistent labs alike.
 */
class RunAsIT {
    private static Map<String, String> env(String user) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("RUNWAY_LAB_RUN_AS", user);
        return env;
    }

    private static int uidOf(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Uid line for " + pid);
    }

    @Test
    void serversRunAsTheNamedUserWithAStreamingReplica() throws Exception {
        assumeTrue(Os.isRoot(), "switching users needs root");
        int postgresUid = Integer.parseInt(Os.check(List.of("id", "-u", "postgres"), Duration.ofSeconds(5), "id").strip());
        Path dir;
        Path persistent = Files.createTempDirectory(Path.of("/tmp"), "rwr").resolve("lab");
        // the user switched to must be able to reach the data dirs through every parent
        Files.setPosixFilePermissions(persistent.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        try (Lab lab = Lab.start(LabConfig.builder().replicas(1).env(env("postgres")).build())) {
            dir = lab.dir();
            for (Node n : lab.nodes()) {
                assertThat(uidOf(n.pid())).as(n.name() + " uid").isEqualTo(postgresUid);
            }
            try (Connection c = lab.primary().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE ra AS SELECT 1 AS v");
            }
            lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
            try (Connection c = lab.node("replica1").connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT v FROM ra")) {
                assertThat(rs.next()).isTrue();
            }
            Node r = lab.node("replica1");
            r.kill();
            r.start();
            NodeLifecycleIT.awaitStreaming(r);
            r.promote();
            assertThat(lab.primary()).isSameAs(r);
        }
        Leftovers.assertNoneWithin(dir, 10);
        assertThat(dir).doesNotExist();

        try {
            LabConfig cfg = LabConfig.builder().replicas(1).dir(persistent).env(env("postgres")).build();
            Lab.start(cfg).stop();
            Lab warm = Lab.start(cfg); // the recorded user, and the dir still passes the owner check
            assertThat(uidOf(warm.primary().pid())).isEqualTo(postgresUid);
            assertThat(Lab.open(persistent).status()).extracting(NodeStatus::state).containsExactly("primary", "streaming");
            Lab.open(persistent).destroy();
            Leftovers.assertNoneWithin(persistent, 10);
            assertThat(persistent).doesNotExist();
        } finally {
            if (Files.exists(persistent.resolve("lab.properties"))) {
                Lab.open(persistent).destroy();
            }
            Files.deleteIfExists(persistent.getParent());
        }
    }

    @Test
    void unknownOrRootUserIsAUsageError() {
        assumeTrue(Os.isRoot(), "RUNWAY_LAB_RUN_AS is read only as root");
        assertThatThrownBy(() -> Lab.start(LabConfig.builder().env(env("no-such-user-xyz")).build()))
                .isInstanceOf(RunwayException.class).hasMessageContaining("RUNWAY_LAB_RUN_AS=no-such-user-xyz");
        assertThatThrownBy(() -> Lab.start(LabConfig.builder().env(env("root")).build()))
                .isInstanceOf(RunwayException.class).hasMessageContaining("uid 0");
    }
}
