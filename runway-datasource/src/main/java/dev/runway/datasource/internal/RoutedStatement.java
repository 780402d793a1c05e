package dev.runway.datasource.internal;

import dev.runway.core.pg.SqlStates;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement of a {@link RoutingConnection}. It tells the connection when a statement ran (to
 * capture the write position) and, for a read on the replica, retries once on the primary when
 * the replica's connection turns out dead before the read did anything, so a replica that dies
 * costs no failed request. For that it records the calls made before the first execution (the
 * parameter setters) and replays them. Not thread-safe.
 */
final class RoutedStatement implements InvocationHandler {
    private final RoutingConnection owner;
    private final Method creator;
    private final Object[] creatorArgs;
    private Statement real;
    private List<Object[]> recorded;

    RoutedStatement(RoutingConnection owner, Statement real, Method creator, Object[] creatorArgs, boolean retryable) {
        this.owner = owner;
        this.real = real;
        this.creator = creator;
        this.creatorArgs = creatorArgs;
        this.recorded = retryable ? new ArrayList<>() : null;
    }

    @Override
    public Object invoke(Object p, Method m, Object[] args) throws Throwable {
        String name = m.getName();
        switch (name) {
            case "equals":
                return p == args[0];
            case "hashCode":
                return System.identityHashCode(p);
            case "getConnection":
                return owner.proxyConnection();
            default:
                break;
        }
        boolean execute = name.startsWith("execute");
        try {
            Object r = m.invoke(real, args);
            if (execute) {
                owner.statementExecuted();
                recorded = null;
            } else if (recorded != null) {
                recorded.add(new Object[] {m, args});
            }
            return r;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (execute && cause instanceof SQLException) {
                owner.failed((SQLException) cause);
            }
            if (execute && recorded != null && cause instanceof SQLException && owner.canRetryOnPrimary((SQLException) cause)) {
                return retryOnPrimary(m, args, (SQLException) cause);
            }
            if (execute && cause instanceof SQLException && SqlStates.isServerUnavailable((SQLException) cause)) {
                throw owner.connectionLost((SQLException) cause);
            }
            throw cause;
        }
    }

    private Object retryOnPrimary(Method m, Object[] args, SQLException cause) throws Throwable {
        List<Object[]> calls = recorded;
        recorded = null;
        Connection primary = owner.rebindToPrimary(cause);
        try {
            real = (Statement) creator.invoke(primary, creatorArgs);
            for (Object[] call : calls) {
                ((Method) call[0]).invoke(real, (Object[]) call[1]);
            }
            Object r = m.invoke(real, args);
            owner.statementExecuted();
            return r;
        } catch (InvocationTargetException e) {
            e.getCause().addSuppressed(cause);
            throw e.getCause();
        }
    }
}
