package dev.runway.datasource.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Creates the JDK proxies of the read path through cached constructors: {@code Proxy.newProxyInstance}
 * looks the proxy class up and checks permissions on every call, which is measurable next to a
 * 100 us query. Thread-safe.
 */
final class Proxies {
    private static final MethodHandle CONNECTION = constructor(Connection.class);
    private static final MethodHandle STATEMENT = constructor(Statement.class);
    private static final MethodHandle PREPARED = constructor(PreparedStatement.class);
    private static final MethodHandle CALLABLE = constructor(CallableStatement.class);

    private Proxies() {
    }

    private static MethodHandle constructor(Class<?> type) {
        Object sample = Proxy.newProxyInstance(Proxies.class.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null);
        try {
            return MethodHandles.publicLookup().findConstructor(sample.getClass(), MethodType.methodType(void.class, InvocationHandler.class))
                    .asType(MethodType.methodType(Object.class, InvocationHandler.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Connection connection(InvocationHandler h) {
        return (Connection) make(CONNECTION, h);
    }

    /** A proxy of the statement type a {@code create/prepare*} method returns. */
    static Object statement(Class<?> returned, InvocationHandler h) {
        if (returned == CallableStatement.class) {
            return make(CALLABLE, h);
        }
        return make(returned == PreparedStatement.class ? PREPARED : STATEMENT, h);
    }

    private static Object make(MethodHandle ctor, InvocationHandler h) {
        try {
            return ctor.invokeExact(h);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a JDBC proxy", t);
        }
    }
}
