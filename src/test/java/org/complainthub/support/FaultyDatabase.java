package org.complainthub.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * {@code @Import(FaultyDatabase.class)}: the hub's DataSource, wrapped so that a test can make chosen statements fail
 * as if the database went away ({@link #failWhen}), and come back ({@link #heal}). Test configuration only: nothing
 * in the hub's own code knows about it.
 */
@TestConfiguration
public class FaultyDatabase {

    private static volatile Predicate<String> failing = sql -> false;

    /** From now on, every statement whose SQL matches fails with a transient connection error. */
    public static void failWhen(Predicate<String> sql) {
        failing = sql;
    }

    public static void heal() {
        failing = sql -> false;
    }

    @Bean
    static BeanPostProcessor faultyDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource ds && !(bean instanceof DelegatingDataSource) ? wrap(ds) : bean;
            }
        };
    }

    private static DataSource wrap(DataSource target) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                return faulty(super.getConnection());
            }

            @Override
            public Connection getConnection(String user, String password) throws java.sql.SQLException {
                return faulty(super.getConnection(user, password));
            }
        };
    }

    private static Connection faulty(Connection c) {
        return (Connection) Proxy.newProxyInstance(FaultyDatabase.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("prepare") && args != null && args.length > 0
                            && args[0] instanceof String sql && failing.test(sql)) {
                        throw new SQLTransientConnectionException("test: the database is away");
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
