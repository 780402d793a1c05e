package dev.runway.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures commit -> replay delay: an autocommit INSERT on the primary, then its WAL position, then
 * each replica is polled (every 0.2 ms) until its replay position reaches it. The figure includes one
 * primary round trip and the poll step, like the research method (research/infra.md section 2).
 */
public final class ReplayProbe {
    private ReplayProbe() {
    }

    /** Milliseconds per write, one array per replica (same order as {@code replicas}). */
    public static double[][] measure(Lab lab, String db, List<Node> replicas, int writes) throws SQLException {
        List<Connection> conns = new ArrayList<>();
        try (Connection p = lab.primary().connect(db)) {
            try (Statement st = p.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS replay_probe (id bigserial primary key, at timestamptz default now())");
            }
            for (Node r : replicas) {
                conns.add(r.connect(db));
            }
            List<PreparedStatement> polls = new ArrayList<>();
            for (Connection c : conns) {
                polls.add(c.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn"));
            }
            double[][] out = new double[replicas.size()][writes];
            try (PreparedStatement ins = p.prepareStatement("INSERT INTO replay_probe DEFAULT VALUES");
                 PreparedStatement lsn = p.prepareStatement("SELECT pg_current_wal_lsn()")) {
                for (int i = 0; i < writes; i++) {
                    ins.executeUpdate();
                    long t0 = System.nanoTime();
                    String target;
                    try (ResultSet rs = lsn.executeQuery()) {
                        rs.next();
                        target = rs.getString(1);
                    }
                    boolean[] done = new boolean[replicas.size()];
                    int left = replicas.size();
                    while (left > 0) {
                        for (int k = 0; k < polls.size(); k++) {
                            if (done[k]) {
                                continue;
                            }
                            polls.get(k).setString(1, target);
                            try (ResultSet rs = polls.get(k).executeQuery()) {
                                rs.next();
                                if (rs.getBoolean(1)) {
                                    done[k] = true;
                                    left--;
                                    out[k][i] = (System.nanoTime() - t0) / 1e6;
                                }
                            }
                        }
                        if (left > 0) {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }
            }
            return out;
        } finally {
            for (Connection c : conns) {
                c.close();
            }
        }
    }

    /** The q-quantile (0..1) of {@code ms}, nearest rank. */
    public static double quantile(double[] ms, double q) {
        double[] s = ms.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }
}
