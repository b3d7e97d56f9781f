package org.complainthub.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.complainthub.support.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The restore of a backup on PostgreSQL, where production keeps the sequence: each block records its time, and a
 * database restored from a dump (the marker in the hub's data directory) moves its sequence past what the original
 * could have issued since.
 */
class RestoredReferencesOnPostgresTest {

    @Test
    void aRestoredDumpMovesTheSequencePastWhatTheOriginalMayHaveIssued() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            DataSource db = postgres.dataSource(postgres.createDatabase("restored"));
            Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
            Path dataDir = Files.createTempDirectory("refs-pg-");
            Instant t0 = Instant.parse("2026-11-23T01:00:00Z");
            ReferenceNumbers original = new ReferenceNumbers(db, dataDir, 100, Clock.fixed(t0, ZoneOffset.UTC));
            assertThat(original.nextNumber()).isEqualTo(1);
            assertThat(new JdbcTemplate(db).queryForObject("SELECT last_block_at FROM reference_clock WHERE id = 1",
                    java.sql.Timestamp.class).toInstant()).isEqualTo(t0);

            Files.writeString(dataDir.resolve("restored-from-backup"), "");
            long first = new ReferenceNumbers(db, dataDir, 100, Clock.fixed(t0.plusSeconds(600), ZoneOffset.UTC)).nextNumber();
            assertThat(first).isGreaterThan(100 + 600 * 100).isLessThan(100 + 602 * 100 + 300);
            assertThat(first % ReferenceNumbers.BLOCK).isEqualTo(1);
            assertThat(dataDir.resolve("restored-from-backup")).doesNotExist();
        }
    }
}
