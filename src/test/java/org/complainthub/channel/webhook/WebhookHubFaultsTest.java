package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.complainthub.support.FaultyDatabase;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The hub's own faults are never the message's: with the database failing at each step of a webhook request (the
 * reference sequence, the thread lookup, the claim, the mark) or the broker stopped, the platform is told 503 with
 * Retry-After (it sends again), never 4xx, and nothing goes to quarantine; once the fault is gone the platform's retry
 * is taken, exactly once.
 */
@Import({FaultyDatabase.class, SharedTestClock.class})
class WebhookHubFaultsTest extends HubIntegrationTest {

    @DynamicPropertySource
    static void platforms(DynamicPropertyRegistry r) {
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> "meta-app-secret-demo");
        r.add("hub.webhooks.meta.verify-token", () -> "meatyhamhock");
        r.add("hub.webhooks.wechat.enabled", () -> "true");
        r.add("hub.webhooks.wechat.token", () -> "intakeToken2024");
        r.add("hub.webhooks.wechat.allow-plain", () -> "true");
        r.add("hub.intake.max-per-minute-per-client", () -> "0");
    }

    @AfterEach
    void heal() {
        FaultyDatabase.heal();
    }

    /**
     * One method, in this order: the reference numbers are taken in blocks of 100, so only the hub's first complaint
     * reads the sequence.
     */
    @Test
    void aDatabaseOrBrokerFaultAtAnyStepIs503AndTheRetryIsOneComplaint() throws Exception {
        String[][] steps = {
                {"complaint_reference_seq", "m_fault_sequence"},
                {"from social_thread", "m_fault_threads"},
                {"insert into source_message", "m_fault_claim"},
        };
        for (String[] step : steps) {
            FaultyDatabase.failStatementsContaining(step[0]);
            expectUnavailable(postMeta(step[1]), step[0]);
            FaultyDatabase.heal();
            assertThat(postMeta(step[1]).statusCode()).as("the retry after " + step[0]).isEqualTo(200);
            assertOneComplaint(step[1]);
        }

        // the mark after the broker's commit: the complaint is queued, so the answer is success (the mark is finished
        // in the background), never a 5xx that would make the platform send it again, a 4xx or a quarantine
        FaultyDatabase.failStatementsContaining("insert into dispatched_batch");
        HttpResponse<String> marked = postMeta("m_fault_mark");
        assertThat(marked.statusCode()).as(marked.body()).isEqualTo(200);
        FaultyDatabase.heal();
        assertThat(postMeta("m_fault_mark").statusCode()).isEqualTo(200);
        assertOneComplaint("m_fault_mark");

        // WeChat: the signed URL of a request the hub failed is not a replay when WeChat sends it again
        SharedTestClock.CLOCK.set(Instant.ofEpochSecond(1718000601));
        String query = "?signature=" + WebhookSignatures.wechat("intakeToken2024", "1718000601", "9001") + "&timestamp=1718000601&nonce=9001";
        FaultyDatabase.failStatementsContaining("insert into source_message");
        expectUnavailable(postXml("/webhooks/wechat" + query, WebhookSignaturesTest.PLAIN_XML), "wechat claim");
        FaultyDatabase.heal();
        HttpResponse<String> retried = postXml("/webhooks/wechat" + query, WebhookSignaturesTest.PLAIN_XML);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertOneComplaint("24612345678901234");

        // the broker stopped: the send fails
        broker.stop();
        try {
            HttpResponse<String> r = postMeta("m_fault_send");
            assertThat(r.statusCode()).as("with the broker stopped: " + r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        } finally {
            broker.start();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> postMeta("m_fault_send").statusCode() == 200);
        assertOneComplaint("m_fault_send");

        // a satisfaction score whose mark fails after its event was sent: 503, and the retry sends no second event
        assertThat(postMeta("m_fault_thanked").statusCode()).isEqualTo(200);
        String id = drain("complaints.desk").get(0).get("id").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
        ledger.markResolved(id, "Replaced", "Agent Li", java.time.OffsetDateTime.now());
        ledger.recordSent(id, "THANKS", "messenger", "hash-of-thanked", java.time.OffsetDateTime.now());
        drain("complaints.events");
        FaultyDatabase.failStatementsContaining("set satisfaction_score");
        expectUnavailable(postMeta("m_fault_score", "PSID-m_fault_thanked", "5"), "the score's mark");
        FaultyDatabase.heal();
        assertThat(postMeta("m_fault_score", "PSID-m_fault_thanked", "5").statusCode()).isEqualTo(200);
        assertThat(drain("complaints.events")).extracting(e -> e.get("type").asText() + " " + e.get("score").asInt())
                .containsExactly("SATISFACTION 5");
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.complainthub.outbound.ContactLedger ledger;

    private void expectUnavailable(HttpResponse<String> r, String step) {
        assertThat(r.statusCode()).as("with " + step + " failing: " + r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(depth("complaints.quarantine")).as("quarantined with " + step + " failing").isZero();
        assertThat(depth("complaints.desk")).isZero();
    }

    private void assertOneComplaint(String sourceId) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.desk") >= 1);
        List<JsonNode> desk = drain("complaints.desk");
        assertThat(desk).extracting(c -> c.get("sourceId").asText()).containsExactly(sourceId);
        for (String q : List.of("complaints.quality", "complaints.logistics", "complaints.customer-service", "complaints.billing",
                "complaints.legal", "complaints.after-sales", "complaints.triage")) {
            drain(q);
        }
    }

    private HttpResponse<String> postMeta(String mid) throws Exception {
        return postMeta(mid, "PSID-" + mid, "The parcel for order 4411 arrived broken");
    }

    private HttpResponse<String> postMeta(String mid, String psid, String text) throws Exception {
        String json = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1718000000123,\"messaging\":["
                + SocialWebhooksTest.msg(psid, mid, text) + "]}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(uri("/webhooks/meta")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", SocialWebhooksTest.metaSignature(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> postXml(String pathAndQuery, String xml) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
