package org.complainthub.complaint;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reference numbers such as {@code C-20261123-000417}: the received date in the hub's zone, then a number drawn from
 * a database sequence. The number alone is unique, across restarts and across hub nodes sharing the database, so a
 * reference can never collide (a collision would make the broker's duplicate detection drop a complaint silently).
 * Numbers are taken from the sequence in blocks of {@link #BLOCK} (the sequence increments by that much), so the
 * database is asked once per hundred complaints, not once per complaint; a restart skips the rest of a block.
 */
@Component
public class ReferenceNumbers {

    /** Must equal the INCREMENT BY of complaint_reference_seq (db/migration/V1). */
    public static final int BLOCK = 100;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final JdbcTemplate jdbc;
    private final String nextValueSql;
    private long next;
    private long blockEnd;

    @Autowired // the hub's; the other constructor is the try command's (unsaved)
    public ReferenceNumbers(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.nextValueSql = nextValueSql(dataSource);
    }

    private ReferenceNumbers(long first) {
        this.jdbc = null;
        this.nextValueSql = null;
        this.next = first;
        this.blockEnd = Long.MAX_VALUE;
    }

    /**
     * For the {@code try} command, which shows a record but never takes it: numbers from {@code first} up, counted in
     * memory, no database. Never for complaints that are dispatched: its numbers are not unique across runs.
     */
    public static ReferenceNumbers unsaved(long first) {
        return new ReferenceNumbers(first);
    }

    /** A new reference for a complaint received at {@code receivedAt} (already in the hub's zone). */
    public String next(OffsetDateTime receivedAt) {
        String number = Long.toString(nextNumber()); // at least six digits, as %06d (String.format is slow on this path)
        return "C-" + DAY.format(receivedAt) + "-" + "0".repeat(Math.max(0, 6 - number.length())) + number;
    }

    synchronized long nextNumber() {
        if (next >= blockEnd) {
            Long start = jdbc.queryForObject(nextValueSql, Long.class);
            next = start;
            blockEnd = start + BLOCK;
        }
        return next++;
    }

    private static String nextValueSql(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            return product.toLowerCase().contains("postgres")
                    ? "SELECT nextval('complaint_reference_seq')"
                    : "SELECT NEXT VALUE FOR complaint_reference_seq";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the hub database", e);
        }
    }
}
