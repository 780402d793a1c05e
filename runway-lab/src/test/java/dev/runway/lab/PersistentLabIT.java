package dev.runway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A persistent lab as the CLI uses it: up (with a detached delay proxy), attach from elsewhere,
 * refuse a second up, down, warm start on the same ports, a stored port taken, destroy.
 */
class PersistentLabIT {
    private static final Logger LOG = Logger.getLogger(PersistentLabIT.class.getName());

    private static void usage(Runnable r, String... fragments) {
        assertThatThrownBy(r::run).isInstanceOf(RunwayException.class)
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain("\n"));
    }

    private static long rows(Node n) throws Exception {
        try (Connection c = n.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM p")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void upStatusDownWarmUpDestroy() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rwp").resolve("lab");
        LabConfig cfg = LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(20)).dir(dir).build();
        try {
            Lab lab = Lab.start(cfg);
            assertThat(lab.isPersistent()).isTrue();
            assertThat(Leftovers.under(dir)).anyMatch(p -> p.contains("dev.runway.lab.ProxyMain"));
            int primaryPort = lab.primary().port();
            int replicaPort = lab.node("replica1").port();
            try (Connection c = lab.primary().connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE p AS SELECT generate_series(1, 10) AS id");
            }
            lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));

            // another process's view: runway lab status
            Lab other = Lab.open(dir);
            List<NodeStatus> st = other.status();
            assertThat(st).extracting(NodeStatus::running).containsExactly(true, true);
            assertThat(st.get(1).state()).isEqualTo("streaming");
            assertThat(other.node("replica1").upstreamDelay()).isEqualTo(Duration.ofMillis(20));
            assertThat(other.version()).isEqualTo(lab.version());

            // the detached proxy follows a delay change made through the state file
            other.node("replica1").setUpstreamDelay(Duration.ofMillis(35));
            double p50 = ReplayProbe.quantile(ReplayProbe.measure(other, "postgres", other.replicas(), 20)[0], 0.5);
            assertThat(p50).isGreaterThanOrEqualTo(35.0).isLessThan(80.0);
            other.node("replica1").cutUpstream(); // no in-process proxy here: terminates the walsender
            NodeLifecycleIT.awaitStreaming(other.node("replica1"));

            usage(() -> Lab.start(cfg), "lab already running in " + dir, "runway lab down first");

            other.stop(); // runway lab down, from another handle
            Leftovers.assertNoneWithin(dir, 10);
            assertThat(dir.resolve("lab.properties")).exists();
            assertThat(Lab.open(dir).status()).extracting(NodeStatus::state).containsExactly("stopped", "stopped");

            long t0 = System.nanoTime();
            Lab warm = Lab.start(cfg);
            LOG.info("warm start of primary + 1 delayed replica: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(warm.primary().port()).isEqualTo(primaryPort);
            assertThat(warm.node("replica1").port()).isEqualTo(replicaPort);
            assertThat(rows(warm.primary())).isEqualTo(10);
            assertThat(rows(warm.node("replica1"))).isEqualTo(10);
            assertThat(warm.node("replica1").upstreamDelay()).isEqualTo(Duration.ofMillis(20));
            warm.stop();
            Leftovers.assertNoneWithin(dir, 10);

            // a stored port taken by someone else: a one-line USAGE error naming it, nothing left running
            try (ServerSocket squatter = new ServerSocket(primaryPort, 1, InetAddress.getLoopbackAddress())) {
                usage(() -> Lab.start(cfg), "port " + primaryPort, "in use");
            }
            Leftovers.assertNoneWithin(dir, 10);

            Lab.open(dir).destroy();
            assertThat(dir).doesNotExist();
            usage(() -> Lab.open(dir), "no lab in " + dir);
        } finally {
            if (Files.exists(dir.resolve("lab.properties"))) {
                Lab.open(dir).destroy();
            }
            Leftovers.assertNoneWithin(dir, 10);
            Files.deleteIfExists(dir.getParent());
        }
    }
}
