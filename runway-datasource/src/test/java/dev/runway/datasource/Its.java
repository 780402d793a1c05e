package dev.runway.datasource;

import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Shared helpers of the ITs (the generic ones are {@link TestDatabase}'s). */
public final class Its {
    public static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);

    private Its() {
    }

    /** {@code runway.it.scale}: 1 by default, 10 with -Plong. */
    public static int scale() {
        return Integer.getInteger("runway.it.scale", 1);
    }

    /** An instance in region "syd" (primary in "ord") whose local replica is {@code replica}. */
    public static RegionConfig.Builder config(LabExtension lab, Node replica) {
        return RegionConfig.builder().region("syd").primaryRegion("ord").primaryUrl(lab.url())
                .replicaUrl(replica == null ? null : lab.url(replica)).tokenSecret(SECRET)
                .waitTimeout(Duration.ofSeconds(3)).primaryConnectTimeout(Duration.ofSeconds(2));
    }

    /** Creates {@code kv(id int primary key, v bigint)} with rows 0..n-1 and waits for every replica. */
    public static void createKv(LabExtension lab, int n) throws SQLException {
        try (Connection c = lab.connect()) {
            TestDatabase.exec(c, "CREATE TABLE IF NOT EXISTS kv (id int PRIMARY KEY, v bigint NOT NULL)");
            TestDatabase.exec(c, "INSERT INTO kv SELECT g, 0 FROM generate_series(0, " + (n - 1) + ") g ON CONFLICT DO NOTHING");
        }
        lab.lab().waitForReplay(lab.lab().primary().currentWalLsn(), Duration.ofSeconds(30));
    }

    public static void set(Connection c, int id, long v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET v = ? WHERE id = ?")) {
            ps.setLong(1, v);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    public static long get(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** True when {@code c} is connected to a server in recovery (a replica). */
    public static boolean onReplica(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
