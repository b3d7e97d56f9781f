package org.complainthub.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
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
