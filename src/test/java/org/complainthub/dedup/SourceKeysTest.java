package org.complainthub.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
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
 * The claims' keys since V9 (readable "channel:id" while it fits, else a hash), on a real H2 database migrated by
 * Flyway: a database that holds claims from before V9, keyed by hash, still knows those messages.
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
    void claimsTakenBeforeV9UnderTheirHashesAreFoundAndMovedToTheReadableKey() throws Exception {
        DriverManagerDataSource db = database();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        migrate(db, "8");
        legacyClaim(jdbc, "CALL-1", "CH-OLD-1", true);   // queued before the upgrade
        legacyClaim(jdbc, "CALL-2", "CH-OLD-2", false);  // claimed, then a crash before it was queued
        legacyClaim(jdbc, "CALL-3", "CH-OLD-3", true);
        migrate(db, null);

        SourceMessages single = new SourceMessages(db);
        SourceMessageBatch batch = new SourceMessageBatch(db, single, Clock.systemUTC());
        assertThat(single.hashedKeysBeforeV9()).isTrue();
        Complaint again = complaint("CALL-1", "CH-NEW-1");
        Complaint resumed = complaint("CALL-2", "CH-NEW-2");
        Complaint fresh = complaint("CALL-4", "CH-NEW-4");

        SourceMessageBatch.Claimed claimed = batch.claim(List.of(again, resumed, fresh));
        batch.dispatched(claimed);

        assertThat(claimed.duplicateOf()).containsEntry(again, "CH-OLD-1").hasSize(1);
        assertThat(claimed.toSend()).containsExactlyInAnyOrder(resumed, fresh);
        assertThat(resumed.getId()).as("resumed under the reference it was first given").isEqualTo("CH-OLD-2");
        assertThat(single.complaintOf("hotline", "CALL-3")).as("a claim not met since the upgrade").contains("CH-OLD-3");
        assertThat(single.claim(complaint("CALL-3", "CH-NEW-3"))).isEqualTo("CH-OLD-3");
        assertThat(jdbc.queryForList("SELECT source_key FROM source_message ORDER BY source_key", String.class))
                .containsExactly("hotline:CALL-1", "hotline:CALL-2", "hotline:CALL-3", "hotline:CALL-4");
        assertThat(single.complaintOf("hotline", "CALL-2")).as("marked dispatched under its new key").contains("CH-OLD-2");
    }

    @Test
    void aDatabaseStartedAtV9HasNoHashedClaimsToLookFor() throws Exception {
        DriverManagerDataSource db = database();
        migrate(db, null);
        SourceMessages single = new SourceMessages(db);
        SourceMessageBatch batch = new SourceMessageBatch(db, single, Clock.systemUTC());

        assertThat(single.hashedKeysBeforeV9()).isFalse();
        SourceMessageBatch.Claimed first = batch.claim(List.of(complaint("CALL-1", "CH-1"), complaint("CALL-2", "CH-2")));
        batch.dispatched(first);
        SourceMessageBatch.Claimed second = batch.claim(List.of(complaint("CALL-2", "CH-3"), complaint("CALL-5", "CH-5")));

        assertThat(second.duplicateOf().values()).containsExactly("CH-2");
        assertThat(second.toSend()).extracting(Complaint::getId).containsExactly("CH-5");
    }

    private static DriverManagerDataSource database() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "test-data", "source-keys-" + UUID.randomUUID()));
        return new DriverManagerDataSource("jdbc:h2:file:" + dir.toAbsolutePath().resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE", "hub", "");
    }

    private static void migrate(DriverManagerDataSource db, String target) {
        var config = Flyway.configure().dataSource(db).locations("classpath:db/migration");
        (target == null ? config : config.target(target)).load().migrate();
    }

    private static void legacyClaim(JdbcTemplate jdbc, String sourceId, String complaintId, boolean dispatched) {
        jdbc.update("INSERT INTO source_message (source_key, channel, complaint_id, received_at, dispatched_at) VALUES (?,?,?,?,?)",
                SourceMessages.hashedKey("hotline", sourceId), "hotline", complaintId, THEN,
                dispatched ? Timestamp.from(THEN.plusSeconds(1).toInstant()) : null);
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
