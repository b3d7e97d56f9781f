package org.complainthub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.complainthub.complaint.Complaint;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The claims' keys (readable "channel:id" while it fits, else a hash), on a real H2 database migrated by Flyway: a
 * message seen before is known under its key, whichever kind it is, in a batch and singly.
 */
class SourceKeysTest {

    private static final OffsetDateTime THEN = OffsetDateTime.of(2026, 11, 1, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    @Test
    void aShortIdIsReadableInItsKeyAndALongOneIsHashed() {
        assertThat(SourceMessages.key("hotline", "BULK-17")).isEqualTo("hotline:BULK-17");
        String longId = "<" + "x".repeat(70) + "@mail.example.com>";
        assertThat(SourceMessages.key("email", longId)).isEqualTo(SourceMessages.hashedKey("email", longId)).hasSize(64)
                .doesNotContain(":");
        assertThat(SourceMessages.key("hot:line", "1")).as("a channel with a colon could pass for another's key")
                .isEqualTo(SourceMessages.hashedKey("hot:line", "1"));
    }

    @Test
    void claimsAreFoundUnderTheirKeysReadableOrHashed() throws Exception {
        DriverManagerDataSource db = database();
        migrate(db);
        assertThat(new JdbcTemplate(db).queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE UPPER(TABLE_NAME) = 'SOURCE_KEY_LEGACY'", Integer.class)).as("dropped by V12").isZero();
        SourceMessages single = new SourceMessages(db);
        SourceMessageBatch batch = new SourceMessageBatch(db, single, Clock.systemUTC());
        String longId = "<" + "y".repeat(70) + "@mail.example.com>";

        SourceMessageBatch.Claimed first = batch.claim(List.of(complaint("CALL-1", "CH-1"), complaint("CALL-2", "CH-2"),
                complaint(longId, "CH-L")));
        batch.dispatched(first);
        Complaint undispatched = complaint("CALL-3", "CH-3");
        batch.claim(List.of(undispatched)); // claimed, then a crash before it was queued: never marked
        SourceMessageBatch.Claimed second = batch.claim(List.of(complaint("CALL-2", "CH-4"), complaint("CALL-5", "CH-5"),
                complaint(longId, "CH-6"), complaint("CALL-3", "CH-7")));

        assertThat(second.duplicateOf().values()).containsExactlyInAnyOrder("CH-2", "CH-L");
        assertThat(second.toSend()).extracting(Complaint::getId).as("CALL-3 resumed under the reference it was first given")
                .containsExactlyInAnyOrder("CH-5", "CH-3");
        assertThat(single.complaintOf("hotline", "CALL-1")).contains("CH-1");
        assertThat(single.complaintOf("hotline", longId)).contains("CH-L");
        assertThat(single.complaintOf("hotline", "CALL-9")).isEmpty();
        assertThat(single.claim(complaint("CALL-1", "CH-8"))).isEqualTo("CH-1");
    }

    private static DriverManagerDataSource database() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "test-data", "source-keys-" + UUID.randomUUID()));
        return new DriverManagerDataSource("jdbc:h2:file:" + dir.toAbsolutePath().resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE", "hub", "");
    }

    private static void migrate(DriverManagerDataSource db) {
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
    }

    private static Complaint complaint(String sourceId, String id) {
        Complaint c = new Complaint();
        c.setChannel("hotline");
        c.setSourceId(sourceId);
        c.setId(id);
        c.setReceivedAt(THEN.plusDays(1));
        c.setDueAt(THEN.plusDays(3));
        return c;
    }
}
