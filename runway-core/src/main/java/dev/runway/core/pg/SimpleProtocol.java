package dev.runway.core.pg;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.BaseStatement;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Field;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.SqlCommand;
import org.postgresql.core.Tuple;

/**
 * Runs SQL text the way {@code psql} does: one simple-protocol Query message with the text as it is,
 * instead of pgjdbc's default of parsing the text on the client, splitting it at semicolons and
 * sending Parse, Bind, Describe and Execute for each part
 * (https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SIMPLE-QUERY).
 *
 * <p>For text that has no parameters and whose results are read as text (what migrations and
 * Runway's own statements around them are) the outcome is the same: the same results in the same
 * order, the same errors with SQLSTATE (an error's position counts from the start of the whole text,
 * not of its part), the same notices, the same transaction (pgjdbc
 * still opens one when auto-commit is off). Several statements in one text run in one message; inside
 * a transaction, which is where this is used, that changes nothing, while outside one the server runs
 * them as one implicit transaction (use it for one statement there). Before PostgreSQL 13 one
 * {@code statement_timeout} timer covers them all, armed with the value in force when the message
 * arrives; so did it for pgjdbc's parts, all sent before one Sync. The client's cost is
 * about a fifth lower per statement, which a release of 1,000 migrations pays thousands of times
 * while the server waits (issue #15).
 *
 * <p>It reaches pgjdbc's {@code core} types (public, but not its JDBC API), as {@link PgSession}
 * does; a statement that is not pgjdbc's, or a pgjdbc whose internals moved, runs through
 * {@link Statement#execute(String)}. Stateless; thread-safe.
 */
public final class SimpleProtocol {
    private SimpleProtocol() {
    }

    /**
     * Executes {@code sql} as one Query message on {@code st}'s connection; results, update counts and
     * warnings are read from {@code st} as after {@link Statement#execute(String)}, which this returns
     * the value of.
     */
    public static boolean execute(Statement st, String sql) throws SQLException {
        if (st instanceof BaseStatement && st.getConnection() instanceof BaseConnection) {
            try {
                Query query = wrap(((BaseConnection) st.getConnection()).getQueryExecutor(), sql);
                return ((BaseStatement) st).executeWithFlags(new CachedQuery(sql, query, false), QueryExecutor.QUERY_EXECUTE_AS_SIMPLE);
            } catch (LinkageError changedDriver) {
                // a pgjdbc without these entry points (thrown before anything is sent): its public API below
            }
        }
        return st.execute(sql);
    }

    /**
     * Executes {@code sql} as one Query message on {@code c} (in auto-commit: the text carries its own
     * {@code BEGIN}/{@code COMMIT}, if any) and hands {@code marks} the value of each result that is one row of one
     * {@code bigint} column labelled {@code label}, in order, as they are read. Other results are read and dropped;
     * so are notices. When a statement fails, the server runs nothing after it in the message: {@code marks} has
     * then seen the marks of the statements before it, and the error is thrown (with its SQLSTATE) once the server
     * is ready again. A text the server cannot parse fails before any of it runs (no mark).
     *
     * @return false when {@code c} is not pgjdbc's, or pgjdbc's internals moved: nothing was sent, send the
     *     statements some other way
     */
    public static boolean executeMarked(Connection c, String sql, String label, LongConsumer marks) throws SQLException {
        return c instanceof BaseConnection && send((BaseConnection) c, sql, () -> new Marks(label, marks), true);
    }

    /** Takes one result of {@link #executeEach}. */
    @FunctionalInterface
    public interface Results {
        /** {@code rs} is positioned before its first row and valid during this call only. */
        void accept(ResultSet rs) throws SQLException;
    }

    /**
     * Executes {@code sql} as one Query message on {@code st}'s connection (pgjdbc opens its transaction first when
     * auto-commit is off) and hands {@code each} every result that has columns, in order, as it is read. When a
     * statement fails, the server runs nothing after it in the message: {@code each} has then seen the results of the
     * statements before it, and the error is thrown (with its SQLSTATE) once the server is ready again; so is an
     * exception {@code each} throws. A text the server cannot parse fails before any of it runs (no result).
     * Notices are dropped.
     *
     * @return false when {@code st} is not pgjdbc's, or pgjdbc's internals moved: nothing was sent
     */
    public static boolean executeEach(Statement st, String sql, Results each) throws SQLException {
        if (!(st instanceof BaseStatement) || !(st.getConnection() instanceof BaseConnection)) {
            return false;
        }
        Connection c = st.getConnection();
        return send((BaseConnection) c, sql, () -> new Each((BaseStatement) st, each), c.getAutoCommit());
    }

    /** The text as one native query, not parsed (BLANK: "when parsing the sql string is not necessary"): the server parses it, as it does psql's. */
    private static Query wrap(QueryExecutor executor, String sql) {
        return executor.wrap(List.of(new NativeQuery(sql, null, true, SqlCommand.BLANK)));
    }

    /**
     * Sends {@code sql} as one Query message on {@code c}, its results to the handler {@code handler} makes; {@code autoCommit}: no
     * transaction opened first. False when pgjdbc's internals moved (thrown before anything is sent).
     */
    private static boolean send(BaseConnection c, String sql, Supplier<ResultHandlerBase> handler, boolean autoCommit)
            throws SQLException {
        try { // the handler made in here too: a subclass of pgjdbc's internals
            QueryExecutor executor = c.getQueryExecutor();
            Query query = wrap(executor, sql);
            executor.execute(query, query.createParameterList(), handler.get(), 0, 0,
                    QueryExecutor.QUERY_EXECUTE_AS_SIMPLE | (autoCommit ? QueryExecutor.QUERY_SUPPRESS_BEGIN : 0));
            return true;
        } catch (LinkageError changedDriver) {
            return false;
        }
    }

    /** A result handler that drops notices, as a Statement does when nobody reads them; the first error is thrown by pgjdbc at completion. */
    private abstract static class Quiet extends ResultHandlerBase {
        @Override
        public void handleWarning(SQLWarning warning) {
        }
    }

    /** Hands the results of {@link #executeEach} over as result sets. */
    private static final class Each extends Quiet {
        private final BaseStatement st;
        private final Results each;

        Each(BaseStatement st, Results each) {
            this.st = st;
            this.each = each;
        }

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            try (ResultSet rs = st.createResultSet(fromQuery, fields, tuples, cursor)) {
                each.accept(rs);
            } catch (SQLException e) {
                handleError(e);
            }
        }
    }

    /** Reads the marks of {@link #executeMarked}. */
    private static final class Marks extends Quiet {
        private final String label;
        private final LongConsumer marks;

        Marks(String label, LongConsumer marks) {
            this.label = label;
            this.marks = marks;
        }

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            if (fields.length == 1 && tuples.size() == 1 && label.equals(fields[0].getColumnLabel())) {
                byte[] v = tuples.get(0).get(0);
                if (v != null) {
                    marks.accept(Long.parseLong(new String(v, StandardCharsets.US_ASCII)));
                }
            }
        }
    }
}
