package dev.runway.lab;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * A child JVM for {@link CleanupIT}: {@code use} starts a temp lab with a replica, writes, checks the
 * replica and closes (exit 0 when all went well); {@code hold} starts one with a PgBouncer, prints its
 * dir and waits to be killed; {@code exit} starts one with a PgBouncer, prints its dir and returns
 * without closing (the shutdown hook must clean up); {@code up DIR} starts a persistent lab with a delayed replica and exits (it must
 * outlive this JVM).
 */
public final class LabChildMain {
    private LabChildMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "use";
        if (mode.equals("up")) {
            // like `runway lab up --dir D --replicas 1 --delay replica1=20ms`: start and let the JVM exit
            Lab up = Lab.start(LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(20))
                    .dir(java.nio.file.Path.of(args[1])).build());
            System.out.println("UP " + up.primary().port());
            return;
        }
        // hold and exit also run a PgBouncer: it must be cleaned up like the servers
        boolean bouncer = mode.equals("hold") || mode.equals("exit");
        Lab lab = Lab.start(LabConfig.builder().replicas(1).pgbouncer(bouncer ? PoolMode.TRANSACTION : null).build());
        System.out.println("DIR " + lab.dir());
        System.out.flush();
        switch (mode) {
            case "hold":
                Thread.sleep(Duration.ofMinutes(5).toMillis());
                return;
            case "exit":
                return;
            default:
                try (lab) {
                    try (Connection c = lab.primary().connect("postgres"); Statement st = c.createStatement()) {
                        st.execute("CREATE TABLE child AS SELECT 7 AS v");
                    }
                    lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(30));
                    try (Connection c = lab.node("replica1").connect("postgres"); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT v FROM child")) {
                        if (!rs.next() || rs.getInt(1) != 7) {
                            throw new IllegalStateException("replica1 does not show the row written on the primary");
                        }
                    }
                    System.out.println("OK version=" + lab.version() + " uid=" + dev.runway.lab.internal.Os.uid());
                }
        }
    }
}
