package org.complainthub.support;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.api.Trigger;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database that fails reading or writing one table, as one that went away: H2 triggers on the table (in the
 * database, not in the hub's code) that throw a connection-failure SQLException while the fault is on. Reads and
 * writes fail separately, so a test can fail the step after a send and not the one before it.
 */
public final class TableFaults implements AutoCloseable {

    private static volatile boolean failReads;
    private static volatile boolean failUpdates;

    private final JdbcTemplate jdbc;
    private final String table;

    public TableFaults(DataSource dataSource, String table) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.table = table;
        jdbc.execute("CREATE TRIGGER IF NOT EXISTS test_fault_select_" + table + " BEFORE SELECT ON " + table
                + " CALL '" + Fault.class.getName() + "'");
        jdbc.execute("CREATE TRIGGER IF NOT EXISTS test_fault_update_" + table + " BEFORE UPDATE ON " + table
                + " FOR EACH ROW CALL '" + Fault.class.getName() + "'");
    }

    public void failReads(boolean on) {
        failReads = on;
    }

    public void failUpdates(boolean on) {
        failUpdates = on;
    }

    @Override
    public void close() {
        failReads = false;
        failUpdates = false;
        jdbc.execute("DROP TRIGGER IF EXISTS test_fault_select_" + table);
        jdbc.execute("DROP TRIGGER IF EXISTS test_fault_update_" + table);
    }

    public static class Fault implements Trigger {
        private int type;

        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
            this.type = type;
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            if ((type & Trigger.SELECT) != 0 && failReads || (type & Trigger.UPDATE) != 0 && failUpdates) {
                throw new SQLException("test: the database is away", "08006");
            }
        }
    }
}
