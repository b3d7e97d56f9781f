package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.PlatformApi;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The social webhooks end to end, one hub for every platform: HTTP on a random port with the platforms' own bytes,
 * signatures and handshakes (the worked examples of CHANNEL_FORMATS.md part A) → pipeline → embedded Artemis. Media
 * come from a local HTTP server standing in for the platforms; a clock the test sets lets the vectors' timestamps be
 * "now".
 */
@org.springframework.context.annotation.Import(SharedTestClock.class)
class SocialWebhooksTest extends HubIntegrationTest {

    static final TestClock CLOCK = SharedTestClock.CLOCK;
    static final PlatformApi API = start();
    static final List<String> QUEUES = List.of("complaints.quality", "complaints.logistics", "complaints.customer-service",
            "complaints.billing", "complaints.legal", "complaints.after-sales", "complaints.triage", "complaints.desk",
            "complaints.quarantine", "complaints.events");

    @DynamicPropertySource
    static void platforms(DynamicPropertyRegistry r) {
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> "meta-app-secret-demo");
        r.add("hub.webhooks.meta.verify-token", () -> "meatyhamhock");
        r.add("hub.webhooks.meta.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.meta.api-base-url", () -> API.base() + "/graph");
        r.add("hub.webhooks.meta.media-token", () -> "wa-token-demo");
        r.add("hub.webhooks.meta.max-bytes", () -> "65536");
    }

    private static PlatformApi start() {
        try {
            return new PlatformApi();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    @BeforeEach
    void emptyQueues() throws Exception {
        CLOCK.set(Instant.now());
        for (String q : QUEUES) {
            drain(q);
        }
    }

    // ---------------------------------------------------------------- Meta

    static final String META_PAGE = "{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566778\",\"time\":1718000000123,\"messaging\":[{\"sender\":{\"id\":\"6543210987654321\"},\"recipient\":{\"id\":\"112233445566778\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_AbCdEf123\",\"text\":\"My order #4411 arrived broken\"}}]}]}";
    static final String META_WHATSAPP = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"Li Lei\"},\"wa_id\":\"8613800138000\"}],\"messages\":[{\"from\":\"8613800138000\",\"id\":\"wamid.HBgLODYxMzgwMDEzODAwMBUCABIYFDNBQTk5\",\"timestamp\":\"1718000100\",\"type\":\"text\",\"text\":{\"body\":\"Refund please, order 4411\"}}]},\"field\":\"messages\"}]}]}";

    @Test
    void metaHandshakeEchoesTheChallengeOnlyForOurVerifyToken() throws Exception {
        HttpResponse<String> ok = get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        HttpResponse<String> wrong = get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("1158201444");
        assertThat(get("/webhooks/meta?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock").statusCode()).isEqualTo(403);
        assertThat(get("/webhooks/meta?hub_mode=subscribe&hub_challenge=1&hub_verify_token=meatyhamhock").statusCode()).isEqualTo(403);
    }

    @Test
    void messengerWorkedExampleBecomesOneComplaintWithThePsidAsHandle() throws Exception {
        HttpResponse<String> r = postSigned("/webhooks/meta", "application/json", META_PAGE.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Hub-Signature-256", "sha256=a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> desk = drain("complaints.desk");
        assertThat(desk).hasSize(1);
        JsonNode c = desk.get(0);
        assertThat(c.get("channel").asText()).isEqualTo("messenger");
        assertThat(c.get("sourceId").asText()).isEqualTo("m_AbCdEf123");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("6543210987654321");
        assertThat(c.at("/customer/language").asText()).isEqualTo("en");
        assertThat(c.get("description").asText()).isEqualTo("My order #4411 arrived broken");
        assertThat(c.get("occurredAt").asText()).startsWith("2024-06-10T");
        assertThat(c.at("/raw/inline").asText()).contains("m_AbCdEf123").doesNotContain("112233445566778\",\"time");

        // Meta signs no timestamp: the same request again is answered 200 and is no second complaint
        HttpResponse<String> again = postSigned("/webhooks/meta", "application/json", META_PAGE.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Hub-Signature-256", "sha256=A862B85975095A87F15402FD8C7462585FB7F54BAF8A32B241DC1D9B8B36E620"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(drain("complaints.desk")).isEmpty();
    }

    @Test
    void whatsappWorkedExampleCarriesTheWaIdAsHandleAndPhone() throws Exception {
        HttpResponse<String> r = postSigned("/webhooks/meta", "application/json", META_WHATSAPP.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Hub-Signature-256", "sha256=b979cf63b97d5169fd536560ef8660b99f519d7c91dadcaaa0a356dd748a2b17"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = single(drain("complaints.desk"));
        assertThat(c.get("channel").asText()).isEqualTo("whatsapp");
        assertThat(c.get("sourceId").asText()).isEqualTo("wamid.HBgLODYxMzgwMDEzODAwMBUCABIYFDNBQTk5");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("8613800138000");
        assertThat(c.at("/customer/phone").asText()).isEqualTo("+8613800138000");
        assertThat(c.at("/customer/name").asText()).isEqualTo("Li Lei");
    }

    @Test
    void aBatchOfThreeCustomersAnEchoAndAReadReceiptGivesExactlyThreeComplaints() throws Exception {
        String batch = "{\"object\":\"page\",\"entry\":["
                + "{\"id\":\"P1\",\"time\":1718000000123,\"messaging\":["
                + msg("PSID-A", "m_batch_a", "The courier threw my parcel over the fence")
                + ",{\"sender\":{\"id\":\"P1\"},\"recipient\":{\"id\":\"PSID-A\"},\"timestamp\":1718000000050,\"message\":{\"mid\":\"m_echo\",\"is_echo\":true,\"text\":\"Sorry to hear that\"}}"
                + "," + msg("PSID-B", "m_batch_b", "I was charged twice for order 5512")
                + "]},{\"id\":\"P1\",\"time\":1718000000200,\"messaging\":["
                + "{\"sender\":{\"id\":\"PSID-A\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000060,\"read\":{\"watermark\":1718000000050}}"
                + ",{\"sender\":{\"id\":\"PSID-C\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000061,\"delivery\":{\"mids\":[\"m_echo\"],\"watermark\":1718000000050}}"
                + ",{\"sender\":{\"id\":\"PSID-C\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000062,\"reaction\":{\"mid\":\"m_echo\",\"action\":\"react\",\"emoji\":\"x\"}}"
                + "," + msg("PSID-C", "m_batch_c", "The staff at the Xuhui store were rude to me")
                + "]}]}";
        HttpResponse<String> r = postMeta(batch);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> desk = drain("complaints.desk");
        assertThat(desk).extracting(c -> c.at("/customer/handle").asText()).containsExactlyInAnyOrder("PSID-A", "PSID-B", "PSID-C");
        assertThat(desk).extracting(c -> c.get("sourceId").asText()).containsExactlyInAnyOrder("m_batch_a", "m_batch_b", "m_batch_c");
        assertThat(drain("complaints.quarantine")).isEmpty();
    }

    @Test
    void whatsappStatusUpdatesAndReactionsAreNoComplaints() throws Exception {
        String statuses = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1\"},\"statuses\":[{\"id\":\"wamid.X\",\"status\":\"read\",\"timestamp\":\"1718000100\",\"recipient_id\":\"8613800138000\"}]},\"field\":\"messages\"}]}]}";
        assertThat(postMeta(statuses).statusCode()).isEqualTo(200);
        String reaction = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"messages\":[{\"from\":\"8613800138000\",\"id\":\"wamid.R\",\"timestamp\":\"1718000100\",\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X\",\"emoji\":\"x\"}}]},\"field\":\"messages\"}]}]}";
        assertThat(postMeta(reaction).statusCode()).isEqualTo(200);
        assertThat(depth("complaints.desk")).isZero();
    }

    @Test
    void escapedUnicodeIsVerifiedOnTheBytesAsSent() throws Exception {
        String wire = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"PSID-U\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_unicode\",\"text\":\"Kaputt: \\u00e4\\u00f6\\u00e5\"}}]}]}";
        String reserialised = wire.replace("\\u00e4\\u00f6\\u00e5", "äöå");
        byte[] wireBytes = wire.getBytes(StandardCharsets.UTF_8);
        // the signature of the re-serialised text, sent with the wire bytes: what a parse-then-hash hub would accept
        HttpResponse<String> naive = postSigned("/webhooks/meta", "application/json", wireBytes,
                Map.of("X-Hub-Signature-256", metaSignature(reserialised.getBytes(StandardCharsets.UTF_8))));
        assertThat(naive.statusCode()).isEqualTo(403);
        HttpResponse<String> r = postSigned("/webhooks/meta", "application/json", wireBytes, Map.of("X-Hub-Signature-256", metaSignature(wireBytes)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(single(drain("complaints.desk")).get("description").asText()).isEqualTo("Kaputt: äöå");
    }

    @Test
    void forgedMissingTamperedSha1OnlyAndOversizedMetaRequestsQueueNothing() throws Exception {
        byte[] body = META_PAGE.replace("m_AbCdEf123", "m_forged").getBytes(StandardCharsets.UTF_8);
        assertThat(post("/webhooks/meta", "application/json", body).statusCode()).isEqualTo(401);
        assertThat(postSigned("/webhooks/meta", "application/json", body, Map.of("X-Hub-Signature-256",
                "sha256=" + java.util.HexFormat.of().formatHex(WebhookSignatures.hmacSha256("another-secret", body)))).statusCode()).isEqualTo(403);
        byte[] tampered = META_PAGE.replace("4411", "4412").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/meta", "application/json", tampered,
                Map.of("X-Hub-Signature-256", "sha256=a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620")).statusCode()).isEqualTo(403);
        assertThat(postSigned("/webhooks/meta", "application/json", body,
                Map.of("X-Hub-Signature-256", metaSignature(body).substring("sha256=".length()))).statusCode()).isEqualTo(403);
        assertThat(postSigned("/webhooks/meta", "application/json", body, Map.of("X-Hub-Signature",
                "sha1=" + java.util.HexFormat.of().formatHex(hmacSha1("meta-app-secret-demo", body)))).statusCode()).isEqualTo(401);
        byte[] huge = ("{\"object\":\"page\",\"entry\":[],\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/meta", "application/json", huge, Map.of("X-Hub-Signature-256", metaSignature(huge))).statusCode()).isEqualTo(413);
        byte[] deep = ("{\"object\":\"page\",\"x\":" + "[".repeat(500) + "]".repeat(500) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/meta", "application/json", deep, Map.of("X-Hub-Signature-256", metaSignature(deep))).statusCode()).isEqualTo(400);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/meta", "application/json", notJson, Map.of("X-Hub-Signature-256", metaSignature(notJson))).statusCode()).isEqualTo(400);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    static String msg(String psid, String mid, String text) {
        return "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\""
                + mid + "\",\"text\":\"" + text + "\"}}";
    }

    HttpResponse<String> postMeta(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return postSigned("/webhooks/meta", "application/json", body, Map.of("X-Hub-Signature-256", metaSignature(body)));
    }

    static String metaSignature(byte[] body) {
        return "sha256=" + java.util.HexFormat.of().formatHex(WebhookSignatures.hmacSha256("meta-app-secret-demo", body));
    }

    static byte[] hmacSha1(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return mac.doFinal(body);
    }

    static JsonNode single(List<JsonNode> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> postSigned(String pathAndQuery, String contentType, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static List<String> texts(List<JsonNode> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.get("description").asText()));
        return out;
    }
}
