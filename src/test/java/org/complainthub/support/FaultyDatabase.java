package org.complainthub.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@code @Import(FaultyDatabase.class)}: the hub's DataSource, wrapped so that a test can make chosen statements fail
 * as a database that went away does (SQLTransientConnectionException), prepared or plain ({@link #failWhen},
 * {@link #failStatementsContaining}), and come back ({@link #heal}): one step of a request (the claim, the thread
 * lookup, the reference sequence, the mark) breaks while the rest works. The database itself is the real embedded
 * one; nothing in the hub's own code knows about this.
 */
@TestConfiguration
public class FaultyDatabase {

    private static volatile Predicate<String> failing = sql -> false;

    /** From now on, every statement whose SQL matches fails. */
    public static void failWhen(Predicate<String> sql) {
        failing = sql;
    }

    /** From now on, every statement containing this text (case-insensitive) fails. */
    public static void failStatementsContaining(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        failWhen(sql -> sql.toLowerCase(Locale.ROOT).contains(t));
    }

    public static void heal() {
        failing = sql -> false;
    }

    @Bean
    static BeanPostProcessor faultyDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource ds ? wrap(ds, DataSource.class, AutoCloseable.class) : bean;
            }
        };
    }

    private static Object wrap(Object target, Class<?>... interfaces) {
        return Proxy.newProxyInstance(FaultyDatabase.class.getClassLoader(), interfaces, (proxy, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof String sql && isStatementCall(method)
                    && failing.test(sql)) {
                throw new SQLTransientConnectionException("test: the database went away");
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
            if (result instanceof Statement s && !(result instanceof PreparedStatement)) {
                return wrap(s, Statement.class);
            }
            return result;
        });
    }

    private static boolean isStatementCall(Method m) {
        String n = m.getName();
        return n.startsWith("prepare") || n.startsWith("execute") || n.equals("addBatch");
    }
}
