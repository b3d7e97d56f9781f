package org.complainthub.channel.webhook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@code @Import(BreakableDatabase.class)}: the hub's DataSource, with a switch that makes every statement containing
 * a given piece of SQL fail as a database that went away does (SQLTransientConnectionException), so a test can break
 * one step of a request (the claim, the thread lookup, the reference sequence, the mark) while the rest works. The
 * database itself is the real embedded one; nothing else is changed.
 */
@TestConfiguration
public class BreakableDatabase {

    private static volatile String failing;

    /** Statements containing this text (case-insensitive) fail until {@link #heal()}. */
    public static void breakStatementsContaining(String sql) {
        failing = sql.toLowerCase(Locale.ROOT);
    }

    public static void heal() {
        failing = null;
    }

    @Bean
    static BeanPostProcessor breakableDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource ds ? wrap(ds, DataSource.class, AutoCloseable.class) : bean;
            }
        };
    }

    private static Object wrap(Object target, Class<?>... interfaces) {
        return Proxy.newProxyInstance(BreakableDatabase.class.getClassLoader(), interfaces, (proxy, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof String sql && isStatementCall(method)) {
                check(sql);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c) {
                return wrap(c, Connection.class);
            }
            if (result instanceof Statement s && !(result instanceof java.sql.PreparedStatement)) {
                return wrap(s, Statement.class);
            }
            return result;
        });
    }

    private static boolean isStatementCall(Method m) {
        String n = m.getName();
        return n.startsWith("prepare") || n.startsWith("execute") || n.equals("addBatch");
    }

    private static void check(String sql) throws SQLException {
        String f = failing;
        if (f != null && sql.toLowerCase(Locale.ROOT).contains(f)) {
            throw new SQLTransientConnectionException("the database went away (test)");
        }
    }
}
