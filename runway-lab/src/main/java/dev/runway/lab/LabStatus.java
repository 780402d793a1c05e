package dev.runway.lab;

import dev.runway.core.Lsn;
import dev.runway.lab.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds {@link Lab#status()}: one query on the primary, one per running replica. Stateless. */
final class LabStatus {
    private LabStatus() {
    }

    private record Sender(String state, Long lagMillis) {
    }

    static List<NodeStatus> of(Lab lab) {
        Node primary = lab.primary();
        Lsn current = null;
        Map<String, Sender> senders = new HashMap<>();
        if (primary.isRunning()) {
            try (Connection c = primary.connect("postgres"); Statement st = c.createStatement()) {
                current = Lsn.parse(Sql.one(c, "SELECT pg_current_wal_lsn()"));
                try (ResultSet rs = st.executeQuery("SELECT application_name, state, "
                        + "(extract(epoch FROM replay_lag) * 1000)::bigint FROM pg_stat_replication")) {
                    while (rs.next()) {
                        long ms = rs.getLong(3);
                        senders.put(rs.getString(1), new Sender(rs.getString(2), rs.wasNull() ? null : ms));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                current = null; // primary going down while we look: report what the nodes say
            }
        }
        List<NodeStatus> out = new ArrayList<>();
        for (Node n : lab.nodes()) {
            long pid = n.pid();
            boolean running = pid > 0;
            if (n == primary) {
                out.add(new NodeStatus(n.name(), "primary", n.port(), pid, running, running ? "primary" : "stopped", current, null, null));
                continue;
            }
            Lsn replay = null;
            boolean inRecovery = true;
            String state = running ? "disconnected" : "stopped";
            if (running) {
                try (Connection c = n.connect("postgres"); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()")) {
                    rs.next();
                    inRecovery = rs.getBoolean(1);
                    replay = rs.getString(2) == null ? null : Lsn.parse(rs.getString(2));
                } catch (SQLException | RuntimeException e) {
                    state = "starting";
                }
            }
            Sender s = senders.get(n.name());
            if (!inRecovery) {
                state = "detached"; // a former primary, or promoted outside the lab: follows no one
            } else if (running && s != null) {
                state = s.state();
            }
            Long lagBytes = inRecovery && current != null && replay != null ? Math.max(0, current.minus(replay)) : null;
            out.add(new NodeStatus(n.name(), inRecovery ? "replica" : "primary", n.port(), pid, running, state, replay,
                    lagBytes, s == null ? null : s.lagMillis()));
        }
        return out;
    }
}
