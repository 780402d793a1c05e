package dev.runway.datasource.cache;

import dev.runway.datasource.InvalidationBus;
import dev.runway.datasource.RegionConfig;
import dev.runway.datasource.RunwayDataSource;
import dev.runway.datasource.WriteOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * A request that commits a write and then hangs before it ends (the parent kills it with SIGKILL
 * once it printed COMMITTED). Modes: {@code jdbc} invalidates inside the transaction with plain
 * JDBC, {@code facade} through {@code ds.write(..., invalidates(..))}, {@code after} would publish
 * after the commit, the way that loses the invalidation.
 *
 * <p>Arguments: mode, primary URL (postgres://...), row id, new value.
 */
public final class KillChild {
    private KillChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        RegionConfig config = RegionConfig.builder().primaryUrl(args[1]).build();
        int id = Integer.parseInt(args[2]);
        long v = Long.parseLong(args[3]);
        String key = "kv:" + id;
        try (RunwayDataSource ds = RunwayDataSource.create(config)) {
            if (mode.equals("facade")) {
                ds.write(c -> update(c, id, v), WriteOption.invalidates(key));
            } else {
                try (Connection c = DriverManager.getConnection(config.primaryUrl().jdbcUrl(), config.primaryUrl().properties())) {
                    c.setAutoCommit(false);
                    update(c, id, v);
                    if (mode.equals("jdbc")) {
                        InvalidationBus.invalidateOnCommit(c, InvalidationBus.DEFAULT_CHANNEL, key);
                    }
                    c.commit();
                }
            }
            System.out.println("COMMITTED");
            System.out.flush();
            Thread.sleep(600_000); // the rest of the request (a mode 'after' would publish here)
        }
    }

    private static Void update(Connection c, int id, long v) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE kv SET v = ? WHERE id = ?")) {
            ps.setLong(1, v);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
        return null;
    }
}
