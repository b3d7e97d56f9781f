package org.complainthub.complaint;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.sql.DataSource;
import org.complainthub.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reference numbers such as {@code C-20261123-000417}: the received date in the hub's zone, then a number drawn from
 * a database sequence. The number alone is unique, across restarts and across hub nodes sharing the database, so a
 * reference can never collide (a collision would make the broker's duplicate detection drop a complaint silently).
 * Numbers are taken from the sequence in blocks of {@link #BLOCK} (the sequence increments by that much), so the
 * database is asked once per hundred complaints, not once per complaint; a restart skips the rest of a block.
 * <p>
 * Restoring an older backup would take the sequence back to numbers the original issued after the backup: a hub
 * started on a restored copy (the file restored-from-backup in its data directory, which the restore procedure
 * writes) first moves the sequence past everything the original could have issued since ({@link RestoredBackup}); for
 * that each block taken records when (reference_clock).
 */
@Component
public class ReferenceNumbers {

    /** Must equal the INCREMENT BY of complaint_reference_seq (db/migration/V1). */
    public static final int BLOCK = 100;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceNumbers.class);

    /** The database sequence, as {@link RestoredBackup} asks and moves it. */
    interface Sequence {
        long next();

        void restartWith(long value);
    }

    private final JdbcTemplate jdbc;
    private final String nextValueSql;
    private final Path dataDir;
    private final long restoreRate;
    private final Clock clock;
    private boolean restoreChecked;
    private long next;
    private long blockEnd;

    /**
     * The hub's: {@code restoreRate} is how many numbers per second the original may have issued after a backup, at
     * most (hub.references.restore-rate; one node does some 3,000 complaints/s at its fastest, hotline files).
     */
    @Autowired
    public ReferenceNumbers(DataSource dataSource, HubProperties hub,
                            @Value("${hub.references.restore-rate:10000}") long restoreRate) {
        this(dataSource, hub.dataDir(), restoreRate, Clock.systemUTC());
    }

    /** On a database alone, never restored (tests). */
    public ReferenceNumbers(DataSource dataSource) {
        this(dataSource, null, 0, Clock.systemUTC());
    }

    /** The wall clock, not the hub's (tests move that): a restore is about the time that really passed. */
    ReferenceNumbers(DataSource dataSource, Path dataDir, long restoreRate, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.nextValueSql = nextValueSql(dataSource);
        this.dataDir = dataDir;
        this.restoreRate = restoreRate;
        this.clock = clock;
    }

    private ReferenceNumbers(long first) {
        this.jdbc = null;
        this.nextValueSql = null;
        this.dataDir = null;
        this.restoreRate = 0;
        this.clock = null;
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
            if (!restoreChecked && dataDir != null) {
                // before the first number of the run: a restored copy moves past the original's numbers first
                RestoredBackup.moveSequenceIfRestored(dataDir, jdbc, sequence(), restoreRate, clock);
                restoreChecked = true;
            }
            Long start = jdbc.queryForObject(nextValueSql, Long.class);
            recordBlockTime();
            next = start;
            blockEnd = start + BLOCK;
        }
        return next++;
    }

    /**
     * When this block was taken, for a restore of a backup of this database. Best effort: a time left older than the
     * last block only makes a restore skip more numbers.
     */
    private void recordBlockTime() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            jdbc.update("UPDATE reference_clock SET last_block_at = ? WHERE id = 1 AND (last_block_at IS NULL OR last_block_at < ?)",
                    now, now);
        } catch (DataAccessException e) {
            LOG.debug("the time of a reference block was not recorded: {}", e.toString());
        }
    }

    private Sequence sequence() {
        return new Sequence() {
            @Override
            public long next() {
                return jdbc.queryForObject(nextValueSql, Long.class);
            }

            @Override
            public void restartWith(long value) {
                jdbc.execute("ALTER SEQUENCE complaint_reference_seq RESTART WITH " + value);
            }
        };
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
