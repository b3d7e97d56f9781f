package org.complainthub.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;

/**
 * The hub's real database behind a switch that makes it fail from its Nth call on, as a database does that goes away
 * (or times out) in the middle of a batch: {@code @Import(DatabaseFaults.class)}, then {@link #failFrom}, {@link #heal}.
 * A call is taking a connection, preparing or creating a statement, or a commit; closing, rolling back and asking about
 * the connection always work, so the pool stays sound. Calls are counted from the moment the fault is armed.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DatabaseFaults implements BeanPostProcessor {

    /** What fails: the connection (as when the database stopped) or a timeout (a lock wait, a slow query). */
    public enum Fault { CONNECTION_LOST, TIMEOUT }

    private static final Set<String> ALWAYS_WORK = Set.of("close", "isClosed", "rollback", "isValid", "unwrap",
            "isWrapperFor", "getAutoCommit", "setAutoCommit", "getMetaData", "clearWarnings", "getWarnings",
            "setReadOnly", "isReadOnly", "getTransactionIsolation", "setTransactionIsolation", "toString", "hashCode",
            "equals", "getSchema", "getCatalog", "getNetworkTimeout", "setNetworkTimeout");
    private static final long OFF = Long.MAX_VALUE;

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile long failFrom = OFF;
    private volatile Fault fault = Fault.CONNECTION_LOST;

    /** Every call from the {@code n}th on (0: the next one) fails with {@code fault}, until {@link #heal()}. */
    public void failFrom(long n, Fault fault) {
        this.fault = fault;
        refused.set(0);
        failFrom = calls.get() + n;
    }

    public void heal() {
        failFrom = OFF;
    }

    /** Calls refused since the fault was armed. */
    public long refused() {
        return refused.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource ds && !(Proxy.isProxyClass(bean.getClass()))) {
            return proxy(DataSource.class, ds, (target, method, args) -> {
                Object result = call(target, method, args, method.getName().equals("getConnection"));
                return result instanceof Connection c ? proxy(Connection.class, c, (t, m, a) ->
                        call(t, m, a, !ALWAYS_WORK.contains(m.getName()))) : result;
            });
        }
        return bean;
    }

    private Object call(Object target, Method method, Object[] args, boolean counted) throws Throwable {
        if (counted && calls.getAndIncrement() >= failFrom) {
            refused.incrementAndGet();
            throw fault == Fault.TIMEOUT ? new SQLTimeoutException("statement timed out (DatabaseFaults)")
                    : new SQLTransientConnectionException("connection to the database lost (DatabaseFaults)");
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private interface Call {
        Object invoke(Object target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler h = (p, m, a) -> call.invoke(target, m, a);
        return (T) Proxy.newProxyInstance(DatabaseFaults.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
