package org.complainthub.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Reference numbers never collide: not between threads, not between two hub nodes on one database, not across restarts. */
class ReferenceNumbersTest {

    @Test
    void twoNodesOnOneDatabaseAndARestartNeverRepeatANumber() throws Exception {
        Path dir = Files.createTempDirectory("refs-");
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:file:" + dir.resolve("hub") + ";AUTO_SERVER=TRUE");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

        ReferenceNumbers nodeA = new ReferenceNumbers(db);
        ReferenceNumbers nodeB = new ReferenceNumbers(db);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        OffsetDateTime day = OffsetDateTime.parse("2026-11-23T10:00:00+08:00");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            ReferenceNumbers node = t % 2 == 0 ? nodeA : nodeB;
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    assertThat(seen.add(node.next(day))).isTrue();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(8000).allMatch(id -> id.matches("C-20261123-\\d{6,}"));

        ReferenceNumbers afterRestart = new ReferenceNumbers(db);
        for (int i = 0; i < 500; i++) {
            assertThat(seen.add(afterRestart.next(day))).as("a number issued before the restart").isTrue();
        }
    }

    /**
     * A database restored from a backup (the restore procedure's file restored-from-backup in the data directory) moves
     * its sequence past every number the original could have issued since its last block, at the restore rate; then
     * the file is renamed and a later start numbers on as usual.
     */
    @Test
    void aRestoredDatabaseSkipsWhatTheOriginalMayHaveIssuedSinceAndOnlyOnce() throws Exception {
        Path dir = Files.createTempDirectory("refs-restored-");
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:file:" + dir.resolve("hub") + ";AUTO_SERVER=TRUE");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        Instant t0 = Instant.parse("2026-11-23T01:00:00Z");
        ReferenceNumbers original = new ReferenceNumbers(db, dir, 1000, Clock.fixed(t0, ZoneOffset.UTC));
        long last = 0;
        for (int i = 0; i < 150; i++) {
            last = original.nextNumber();
        }
        assertThat(last).isEqualTo(150);

        Files.writeString(dir.resolve("restored-from-backup"), "");
        ReferenceNumbers restored = new ReferenceNumbers(db, dir, 1000, Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));
        long first = restored.nextNumber();
        // the original, running on from its last block (taken at t0), could have issued 1000/s for those 60 s
        assertThat(first).isGreaterThan(200 + 60 * 1000).isLessThan(200 + 62 * 1000 + 300);
        assertThat(first % ReferenceNumbers.BLOCK).as("on the block grid").isEqualTo(1);
        assertThat(dir.resolve("restored-from-backup")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("restored-from-backup.done-"));
        }

        ReferenceNumbers restartedLater = new ReferenceNumbers(db, dir, 1000, Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC));
        assertThat(restartedLater.nextNumber()).as("the next block, nothing skipped again").isEqualTo(first + ReferenceNumbers.BLOCK);
    }

    /** The backup's time written in the marker counts when it is earlier than the database's last block. */
    @Test
    void theBackupTimeInTheMarkerCountsWhenEarlier() throws Exception {
        Path dir = Files.createTempDirectory("refs-marker-");
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:file:" + dir.resolve("hub") + ";AUTO_SERVER=TRUE");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        Files.writeString(dir.resolve("restored-from-backup"), "2026-11-23T19:00:00+08:00\n"); // 11:00Z: an hour ago
        long first = new ReferenceNumbers(db, dir, 10, Clock.fixed(now, ZoneOffset.UTC)).nextNumber();
        assertThat(first).isGreaterThan(3600 * 10).isLessThan(3602 * 10 + 300);
    }

    @Test
    void theDatePartIsTheReceivedDayAndTheNumberHasSixDigitsAtLeast() throws Exception {
        JdbcDataSource db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:refs-day;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        ReferenceNumbers numbers = new ReferenceNumbers(db);
        assertThat(numbers.next(OffsetDateTime.parse("2026-01-02T23:59:00+08:00"))).isEqualTo("C-20260102-000001");
        assertThat(numbers.next(OffsetDateTime.parse("2026-01-03T00:00:00+08:00"))).isEqualTo("C-20260103-000002");
    }
}
