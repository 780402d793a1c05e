package dev.runway.backfill.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** What one batch does between its bounds and its checkpoint, inside its transaction. */
public interface BatchWork {
    /** @return rows changed */
    long run(Connection c, Walk.Bounds b) throws SQLException;

    /** The file's SQL statements, with the batch's bounds bound to their placeholders. */
    static BatchWork sql(List<BoundSql> statements, TableKey key) {
        return (c, b) -> {
            long rows = 0;
            for (BoundSql s : statements) {
                try (PreparedStatement ps = c.prepareStatement(s.sql(key))) {
                    s.bind(ps, key, b.first(), b.last());
                    ps.execute();
                    rows += Math.max(0, ps.getUpdateCount());
                }
            }
            return rows;
        };
    }
}
