package dev.runway.datasource;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with a connection that the facade opens and closes around it.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
