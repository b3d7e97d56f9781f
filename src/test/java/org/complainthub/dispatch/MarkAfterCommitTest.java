package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import javax.sql.DataSource;
import org.complainthub.outbound.ContactLedger;
import org.complainthub.support.FaultyDatabase;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Once the broker committed a group, its callers are told it is taken, whatever happens to the database's bookkeeping
 * after: the dispatched mark, the contact ledger and the social thread are finished in the background once the
 * database is back, and the acknowledgement goes out then. The database fails here only for the statements of that
 * bookkeeping (a wrapper around the DataSource, test configuration only), so the claim before the send still works.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.sms.token=t",
        "hub.outbound.retries=20", "hub.outbound.retry-delay-ms=200", "hub.outbound.retry-max-delay-ms=500",
        "hub.outbound.max-per-recipient-per-hour=100", "hub.intake.mark-retry-ms=200",
        "hub.webhooks.telegram.enabled=true", "hub.webhooks.telegram.secret-token=tg-secret-mark"})
@Import({FaultyDatabase.class, SharedTestClock.class})
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MarkAfterCommitTest extends HubIntegrationTest {

    /** The statements that record a group as dispatched; none of them runs before the broker's commit. */
    private static final java.util.function.Predicate<String> BOOKKEEPING = sql -> sql.matches(
            "(?is)\\s*(INSERT INTO|UPDATE)\\s+(dispatched_batch|complaint_contact|social_thread|source_message SET dispatched_at)\\b.*");

    static SmsGateway gateway;

    @DynamicPropertySource
    static void sms(DynamicPropertyRegistry registry) throws Exception {
        gateway = new SmsGateway();
        registry.add("hub.outbound.sms.url", gateway::url);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Autowired
    ContactLedger ledger;
    @Autowired
    DataSource dataSource;

    @BeforeEach
    void daytime() {
        SharedTestClock.CLOCK.set(ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).withHour(10).toInstant());
    }

    @AfterEach
    void healed() {
        FaultyDatabase.heal();
    }

    @Test
    void aFormComplaintWhoseMarkFailsIsAcceptedQueuedOnceAndRecordedWhenTheDatabaseIsBack() throws Exception {
        FaultyDatabase.failWhen(BOOKKEEPING);
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"phone": "13800138061"}, "description": "The shop assistant was rude and ignored me."}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();

        assertThat(ids(drain("complaints.customer-service"))).containsExactly(id);
        assertThat(ids(drain("complaints.desk"))).containsExactly(id);
        assertThat(ledger.find(id)).as("not recorded while the database refuses").isEmpty();
        assertThat(gateway.received()).noneMatch(s -> s.body().contains(id));

        FaultyDatabase.heal();
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.received().stream().anyMatch(s -> s.body().contains(id)));
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void aWebhookWhoseMarkFailsIsAnsweredOkAndItsRetryIsNoSecondComplaint() throws Exception {
        String update = "{\"update_id\":77001,\"message\":{\"message_id\":5,\"from\":{\"id\":8801,\"is_bot\":false,"
                + "\"first_name\":\"Mei\"},\"chat\":{\"id\":8801,\"type\":\"private\"},\"date\":1718000500,"
                + "\"text\":\"The courier left my parcel in the rain and it is soaked\"}}";
        FaultyDatabase.failWhen(BOOKKEEPING);
        assertThat(telegram(update).statusCode()).isEqualTo(200);
        // the platform retries (or the hub restarted before the mark): the claim is resumed under its reference,
        // and the broker drops the copy by its duplicate-detection id
        assertThat(telegram(update).statusCode()).isEqualTo(200);
        List<String> queued = ids(drain("complaints.desk"));
        assertThat(queued).hasSize(1);
        String id = queued.get(0);
        assertThat(ids(drain("complaints.logistics"))).containsExactly(id);

        FaultyDatabase.heal();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent() && !jdbc.queryForList(
                "SELECT complaint_id FROM source_message_state WHERE complaint_id = ? AND dispatched_at IS NOT NULL",
                String.class, id).isEmpty());
        assertThat(jdbc.queryForObject("SELECT complaint_id FROM social_thread WHERE channel = 'telegram' AND handle = '8801'",
                String.class)).isEqualTo(id);

        assertThat(telegram(update).statusCode()).isEqualTo(200);
        assertThat(depthOfAllComplaintQueues()).as("a duplicate now: nothing queued").isZero();
    }

    /**
     * A hub stopped before the database came back: the unfinished marks are on disk under the data directory and the
     * next start records them. (Runs last: it stops this hub's own background retries.)
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void marksUnfinishedAtAStopAreFinishedByTheNextStart() throws Exception {
        FaultyDatabase.failWhen(BOOKKEEPING);
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"phone": "13800138062"}, "description": "The shop assistant was rude and ignored me."}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();
        drain("complaints.customer-service");
        drain("complaints.desk");
        marks.stop();
        java.nio.file.Path unmarked = hub.dataDir().resolve("dispatch/unmarked");
        try (var files = java.nio.file.Files.list(unmarked)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).toList()).hasSize(1);
        }

        FaultyDatabase.heal();
        assertThat(ledger.find(id)).isEmpty();
        DispatchMarks restarted = new DispatchMarks(sources, threads, repeats, ledger, new org.complainthub.outbound.ComplaintHistory(dataSource), dataSource, hub, 200, 5000);
        try {
            restarted.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(id).isPresent());
            try (var files = java.nio.file.Files.list(unmarked)) {
                assertThat(files.toList()).isEmpty();
            }
        } finally {
            restarted.stop();
        }
    }

    @Autowired
    DispatchMarks marks;
    @Autowired
    org.complainthub.HubProperties hub;
    @Autowired
    org.complainthub.dedup.SourceMessageBatch sources;
    @Autowired
    AccountThreads threads;
    @Autowired
    RepeatComplaints repeats;

    private HttpResponse<String> telegram(String json) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(uri("/webhooks/telegram")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", "tg-secret-mark")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(List<com.fasterxml.jackson.databind.JsonNode> records) {
        return records.stream().map(n -> n.get("id").asText()).toList();
    }
}
