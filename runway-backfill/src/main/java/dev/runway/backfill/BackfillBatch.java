package dev.runway.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One batch of a {@link JavaBackfill}: the keys from {@link #first()} to {@link #last()} (both
 * inclusive, in the walk's index order), and the connection of the batch's transaction. Valid only
 * during {@link JavaBackfill#run}; not thread-safe.
 *
 * <pre>
 * try (PreparedStatement ps = batch.connection().prepareStatement(
 *         "SELECT id, payload FROM events WHERE " + batch.range() + " FOR UPDATE")) {
 *     batch.bindRange(ps, 1);
 *     ...
 * }
 * </pre>
 */
public interface BackfillBatch {
    /** The connection whose transaction commits this batch with its checkpoint; do not commit, roll back or close it. */
    Connection connection();

    /** The table, quoted and qualified as the directive names it (e.g. {@code "app"."events"}). */
    String table();

    /** The key columns, in walk order. */
    List<String> keyColumns();

    /** The batch's first key: the PostgreSQL text form of each key column's value. */
    List<String> first();

    /** The batch's last key (inclusive), same form. */
    List<String> last();

    /**
     * A condition selecting exactly this batch's rows, with unqualified column names and
     * {@code 2 × keyColumns().size()} parameters: {@code ("tenant_id", "id") >= (CAST(? AS integer),
     * CAST(? AS uuid)) AND ("tenant_id", "id") <= (...)}. Bind them with {@link #bindRange}.
     */
    String range();

    /**
     * Binds {@link #range()}'s parameters to {@code ps} from parameter {@code index}.
     *
     * @return the index of the next free parameter
     */
    int bindRange(PreparedStatement ps, int index) throws SQLException;

    /** The keys of this batch in walk order, each as the JDBC objects of its columns (e.g. {@code [7, UUID]}); reads them. */
    List<List<Object>> keys() throws SQLException;
}
