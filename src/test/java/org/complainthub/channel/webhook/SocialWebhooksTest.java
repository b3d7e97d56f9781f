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
import org.complainthub.support.PlatformMedia;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.complainthub.outbound.ContactLedger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The social webhooks end to end, one hub for every platform: HTTP on a random port with the platforms' own bytes,
 * signatures and handshakes (the worked examples of CHANNEL_FORMATS.md part A) → pipeline → embedded Artemis. Media
 * come from a local HTTP server standing in for the platforms; a clock the test sets lets the vectors' timestamps be
 * "now".
 */
@org.springframework.context.annotation.Import(SharedTestClock.class)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class SocialWebhooksTest extends HubIntegrationTest {

    static final TestClock CLOCK = SharedTestClock.CLOCK;
    static final PlatformMedia API = start();

    @DynamicPropertySource
    static void platforms(DynamicPropertyRegistry r) {
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> "meta-app-secret-demo");
        r.add("hub.webhooks.meta.verify-token", () -> "meatyhamhock");
        r.add("hub.webhooks.meta.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.meta.api-base-url", () -> API.base() + "/graph");
        r.add("hub.webhooks.meta.media-token", () -> "wa-token-demo");
        r.add("hub.webhooks.meta.max-bytes", () -> "65536");
        r.add("hub.webhooks.wechat.enabled", () -> "true");
        r.add("hub.webhooks.wechat.token", () -> "intakeToken2024");
        r.add("hub.webhooks.wechat.encoding-aes-key", () -> WebhookSignaturesTest.OWN_AES_KEY);
        r.add("hub.webhooks.wechat.app-id", () -> WebhookSignaturesTest.OWN_APP_ID);
        r.add("hub.webhooks.wechat.media-hosts", () -> "127.0.0.1");
        // several tests send plain-mode requests (WeChat's own samples), which are refused unless allowed
        r.add("hub.webhooks.wechat.allow-plain", () -> "true");
        r.add("hub.webhooks.slack.enabled", () -> "true");
        r.add("hub.webhooks.slack.signing-secret", () -> "slack-signing-secret-demo");
        r.add("hub.webhooks.slack.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.slack.media-token", () -> "xoxb-demo");
        r.add("hub.webhooks.telegram.enabled", () -> "true");
        r.add("hub.webhooks.telegram.secret-token", () -> TELEGRAM_SECRET);
        r.add("hub.webhooks.telegram.api-base-url", () -> API.base() + "/tg");
        r.add("hub.webhooks.telegram.bot-token", () -> "123:ABC");
        r.add("hub.webhooks.x.enabled", () -> "true");
        r.add("hub.webhooks.x.consumer-secret", () -> "x-consumer-secret-demo");
    }

    private static PlatformMedia start() {
        try {
            return new PlatformMedia();
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
        drainDeskQueues("complaints.quarantine", "complaints.events");
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
        List<JsonNode> desk = desk(1);
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
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("whatsapp");
        assertThat(c.get("sourceId").asText()).isEqualTo("wamid.HBgLODYxMzgwMDEzODAwMBUCABIYFDNBQTk5");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("8613800138000");
        assertThat(c.at("/customer/phone").asText()).isEqualTo("+8613800138000");
        assertThat(c.at("/customer/name").asText()).isEqualTo("Li Lei");
        assertThat(occurred(c)).isEqualTo(Instant.ofEpochSecond(1718000100));
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
        List<JsonNode> desk = desk(3);
        assertThat(desk).extracting(c -> c.at("/customer/handle").asText()).containsExactlyInAnyOrder("PSID-A", "PSID-B", "PSID-C");
        assertThat(desk).extracting(c -> c.get("sourceId").asText()).containsExactlyInAnyOrder("m_batch_a", "m_batch_b", "m_batch_c");
        assertThat(drain("complaints.quarantine")).isEmpty();
    }

    /**
     * Requests handled side by side share one claim and one broker transaction (group commit): a platform's retries
     * arriving while the first delivery is still in flight, mixed with other customers' messages, still give one
     * complaint per message, and every request is answered 200.
     */
    @Test
    void theSameMessageDeliveredEightTimesAtOnceAmongOthersIsOneComplaint() throws Exception {
        String again = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1718000000123,\"messaging\":["
                + msg("PSID-R", "m_retried", "Nobody answers the hotline about my refund") + "]}]}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String other = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1718000000123,\"messaging\":["
                    + msg("PSID-O" + i, "m_other_" + i, "The parcel for order 77" + i + " never came") + "]}]}";
            answers.add(pool.submit(() -> postMeta(again)));
            answers.add(pool.submit(() -> postMeta(other)));
        }
        for (var answer : answers) {
            assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        pool.shutdown();

        List<JsonNode> desk = desk(9);
        assertThat(desk).hasSize(9).extracting(c -> c.get("sourceId").asText()).containsOnlyOnce("m_retried")
                .filteredOn(id -> id.startsWith("m_other_")).hasSize(8);
        assertThat(desk).extracting(c -> c.get("id").asText()).doesNotHaveDuplicates();
    }

    /** Two messages of a new account at once: whichever is committed first opens the complaint, the other follows it. */
    @Test
    void twoMessagesOfANewAccountAtOnceAreOneComplaintAndItsFollowUp() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (String[] m : new String[][] {{"m_burst_1", "My washing machine leaks"}, {"m_burst_2", "Water all over the floor now"}}) {
            String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1718000000123,\"messaging\":["
                    + msg("PSID-BURST", m[0], m[1]) + "]}]}";
            answers.add(pool.submit(() -> postMeta(body)));
        }
        for (var answer : answers) {
            assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        pool.shutdown();

        List<JsonNode> desk = desk(2);
        JsonNode first = desk.stream().filter(c -> !c.has("threadOf")).collect(java.util.stream.Collectors.collectingAndThen(
                java.util.stream.Collectors.toList(), SocialWebhooksTest::single));
        JsonNode followUp = desk.stream().filter(c -> c.has("threadOf")).collect(java.util.stream.Collectors.collectingAndThen(
                java.util.stream.Collectors.toList(), SocialWebhooksTest::single));
        assertThat(followUp.get("threadOf").asText()).isEqualTo(first.get("id").asText());
        assertThat(followUp.get("department").asText()).isEqualTo(first.get("department").asText());
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
        assertThat(single(desk(1)).get("description").asText()).isEqualTo("Kaputt: äöå");
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

    // ---------------------------------------------------------------- WeChat

    static final String WECHAT_SAFE_QUERY = "?signature=ba3cdf6a7f3e8bff376a33211cbb22ee7381584d&timestamp=1718000601&nonce=1320562132&encrypt_type=aes&msg_signature=9d4d6ae5e2fc39645bda955e0bb4f2744dec5ac4";

    static String safeBody(String encrypt) {
        return "<xml><ToUserName><![CDATA[gh_1a2b3c4d5e6f]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
    }

    static String plainQuery(long ts, String nonce) {
        return "?signature=" + WebhookSignatures.wechat("intakeToken2024", String.valueOf(ts), nonce) + "&timestamp=" + ts + "&nonce=" + nonce;
    }

    HttpResponse<String> postXml(String pathAndQuery, String xml) throws Exception {
        return postSigned(pathAndQuery, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void wechatUrlVerificationEchoesOnlyForTheSortedSignatureWithinTheWindow() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000600));
        HttpResponse<String> ok = get("/webhooks/wechat?signature=6dd8035fc888c448afe659a8088d2c80efeee2c7&timestamp=1718000600&nonce=736192845&echostr=5838479218127813673");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("5838479218127813673");
        HttpResponse<String> wrong = get("/webhooks/wechat?signature=6dd8035fc888c448afe659a8088d2c80efeee2c8&timestamp=1718000600&nonce=736192845&echostr=5838479218127813673");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain("5838479218127813673");
        String unsorted = sha1Hex("intakeToken2024" + "1718000600" + "736192845");
        assertThat(get("/webhooks/wechat?signature=" + unsorted + "&timestamp=1718000600&nonce=736192845&echostr=1").statusCode()).isEqualTo(403);
        CLOCK.set(Instant.ofEpochSecond(1718000600 + 301));
        assertThat(get("/webhooks/wechat?signature=6dd8035fc888c448afe659a8088d2c80efeee2c7&timestamp=1718000600&nonce=736192845&echostr=1").statusCode()).isEqualTo(401);
    }

    @Test
    void wechatSafeModeVectorThenTheSameMsgIdTwiceInPlainModeIsOneComplaint() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000601));
        HttpResponse<String> r = postXml("/webhooks/wechat" + WECHAT_SAFE_QUERY, safeBody(WebhookSignaturesTest.OWN_ENCRYPT));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("success");
        for (String nonce : List.of("11", "12")) { // WeChat's retries, as in plain mode
            HttpResponse<String> again = postXml("/webhooks/wechat" + plainQuery(1718000601, nonce), WebhookSignaturesTest.PLAIN_XML);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo("success");
        }
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("wechat");
        assertThat(c.get("sourceId").asText()).isEqualTo("24612345678901234");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("oAbCdEfGhIjKlMnOpQrStUvWxYz0");
        assertThat(c.at("/customer/language").asText()).isEqualTo("zh");
        assertThat(c.get("description").asText()).isEqualTo("我的快递破损了，要求退款");
        assertThat(occurred(c)).isEqualTo(Instant.ofEpochSecond(1718000600));
    }

    @Test
    void wechatForgedTamperedForeignStaleAndXxeRequestsQueueNothing() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000601));
        String enc = WebhookSignaturesTest.OWN_ENCRYPT;
        String oneCharChanged = (enc.charAt(10) == 'A' ? "B" : "A");
        oneCharChanged = enc.substring(0, 10) + oneCharChanged + enc.substring(11);
        assertThat(postXml("/webhooks/wechat" + WECHAT_SAFE_QUERY, safeBody(oneCharChanged)).statusCode()).isEqualTo(403);
        String xml = WebhookSignaturesTest.PLAIN_XML.replace("24612345678901234", "24612345678900001");
        byte[] random = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        String foreign = WechatSafeMode.encrypt(WebhookSignaturesTest.OWN_AES_KEY, "wxSOMEBODYELSE0", xml, random, null);
        assertThat(postXml("/webhooks/wechat" + safeQuery(1718000601, "77", foreign), safeBody(foreign)).statusCode()).isEqualTo(403);
        String badPad = WechatSafeMode.encrypt(WebhookSignaturesTest.OWN_AES_KEY, WebhookSignaturesTest.OWN_APP_ID, xml, random, 0);
        assertThat(postXml("/webhooks/wechat" + safeQuery(1718000601, "78", badPad), safeBody(badPad)).statusCode()).isEqualTo(403);
        assertThat(postXml("/webhooks/wechat?timestamp=1718000601&nonce=1&encrypt_type=aes", safeBody(enc)).statusCode()).isEqualTo(401);
        assertThat(postXml("/webhooks/wechat?timestamp=1718000601&nonce=1", WebhookSignaturesTest.PLAIN_XML).statusCode()).isEqualTo(401);
        CLOCK.set(Instant.ofEpochSecond(1718000601 + 3600));
        assertThat(postXml("/webhooks/wechat" + WECHAT_SAFE_QUERY, safeBody(enc)).statusCode()).isEqualTo(401);
        CLOCK.set(Instant.ofEpochSecond(1718000601));
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>gh</ToUserName>"
                + "<FromUserName>o1</FromUserName><CreateTime>1718000601</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>";
        HttpResponse<String> refused = postXml("/webhooks/wechat" + plainQuery(1718000601, "5"), xxe);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("root:");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><xml><Content>&lol2;</Content></xml>";
        assertThat(postXml("/webhooks/wechat" + plainQuery(1718000601, "6"), laughs).statusCode()).isEqualTo(400);
        assertThat(postXml("/webhooks/wechat" + plainQuery(1718000601, "7"), "<xml><Content>").statusCode()).isEqualTo(400);
        String encryptedXxe = WechatSafeMode.encrypt(WebhookSignaturesTest.OWN_AES_KEY, WebhookSignaturesTest.OWN_APP_ID, xxe, random, null);
        assertThat(postXml("/webhooks/wechat" + safeQuery(1718000601, "79", encryptedXxe), safeBody(encryptedXxe)).statusCode()).isEqualTo(400);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void wechatImageIsFetchedIntoTheEvidenceStoreButOnlyFromItsMediaHosts() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000700));
        byte[] photo = "JPEG-BYTES-OF-A-BROKEN-PARCEL".getBytes(StandardCharsets.UTF_8);
        API.serve("/mmbiz/broken.jpg", "image/jpeg", photo);
        String image = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oImageSender]]></FromUserName><CreateTime>1718000700</CreateTime>"
                + "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[" + API.base() + "/mmbiz/broken.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId><MsgId>24612345678909999</MsgId></xml>";
        assertThat(postXml("/webhooks/wechat" + plainQuery(1718000700, "8"), image).statusCode()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.at("/evidence/0/sha256").asText()).isEqualTo(sha256Hex(photo));
        assertThat(c.at("/evidence/0/contentType").asText()).isEqualTo("image/jpeg");
        HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(URI.create(c.at("/evidence/0/location").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.body()).isEqualTo(photo);

        String elsewhere = image.replace(API.base(), "http://localhost:" + port).replace("24612345678909999", "24612345678909998")
                .replace("oImageSender", "oOtherSender");
        assertThat(postXml("/webhooks/wechat" + plainQuery(1718000700, "9"), elsewhere).statusCode()).isEqualTo(200);
        JsonNode kept = single(desk(1));
        assertThat(kept.get("evidence")).isNull();
        assertThat(kept.get("description").asText()).contains("could not be fetched");
        assertThat(kept.at("/raw/inline").asText()).contains("/mmbiz/broken.jpg");
    }

    @Test
    void wechatIsAnsweredWithinFiveSecondsWhenItsMediaHostHangs() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000800));
        API.serve("/mmbiz/slow.jpg", "image/jpeg", new byte[] {1, 2, 3}).delay("/mmbiz/slow.jpg", 8000);
        String image = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oSlowSender]]></FromUserName><CreateTime>1718000800</CreateTime>"
                + "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[" + API.base() + "/mmbiz/slow.jpg]]></PicUrl><MediaId><![CDATA[m2]]></MediaId><MsgId>24612345678907777</MsgId></xml>";
        long started = System.nanoTime();
        HttpResponse<String> r = postXml("/webhooks/wechat" + plainQuery(1718000800, "31"), image);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.body()).isEqualTo("success");
        assertThat(single(desk(1)).get("description").asText()).contains("could not be fetched");
    }

    static String safeQuery(long ts, String nonce, String encrypt) {
        return "?timestamp=" + ts + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature="
                + WebhookSignatures.wechat("intakeToken2024", String.valueOf(ts), nonce, encrypt);
    }

    // ---------------------------------------------------------------- Slack

    static final String SLACK_URL_VERIFICATION = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";
    static final String SLACK_EVENT = "{\"token\":\"XXYYZZ\",\"team_id\":\"T0123ABCD\",\"api_app_id\":\"A0123ABCD\",\"event\":{\"type\":\"message\",\"channel\":\"C0123ABCD\",\"user\":\"U0123ABCD\",\"text\":\"Still no reply to ticket 4411\",\"ts\":\"1718000399.000100\",\"event_ts\":\"1718000399.000100\",\"channel_type\":\"channel\"},\"type\":\"event_callback\",\"event_id\":\"Ev0123ABCD\",\"event_time\":1718000399,\"authorizations\":[{\"enterprise_id\":null,\"team_id\":\"T0123ABCD\",\"user_id\":\"U0BOT0001\",\"is_bot\":true,\"is_enterprise_install\":false}],\"is_ext_shared_channel\":false,\"event_context\":\"4-abc\"}";

    HttpResponse<String> postSlack(String json, long ts, String signature, Map<String, String> more) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(more);
        headers.put("X-Slack-Request-Timestamp", String.valueOf(ts));
        headers.put("X-Slack-Signature", signature);
        return postSigned("/webhooks/slack", "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    static String slackSignature(long ts, String json) {
        byte[] body = ("v0:" + ts + ":" + json).getBytes(StandardCharsets.UTF_8);
        return "v0=" + java.util.HexFormat.of().formatHex(WebhookSignatures.hmacSha256("slack-signing-secret-demo", body));
    }

    @Test
    void slackUrlVerificationAnswersTheChallengeOnlyWhenSigned() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000000));
        HttpResponse<String> ok = postSlack(SLACK_URL_VERIFICATION, 1718000000, "v0=08c94fba2c7400719ba728a5941e6d7d04075ff81ded975bac84602960d9ac07", Map.of());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        HttpResponse<String> bad = postSlack(SLACK_URL_VERIFICATION, 1718000000, "v0=08c94fba2c7400719ba728a5941e6d7d04075ff81ded975bac84602960d9ac08", Map.of());
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).doesNotContain("3eZbrw1a");
    }

    @Test
    void slackWorkedExampleIsOneComplaintHoweverOftenSlackRetries() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000400));
        String sig = "v0=413eb1dc03bf6c9d2bc7a0d9f8dd607982c28762899b81e0f7be2ad74509dfd1";
        assertThat(postSlack(SLACK_EVENT, 1718000400, sig, Map.of()).statusCode()).isEqualTo(200);
        assertThat(postSlack(SLACK_EVENT, 1718000400, sig, Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")).statusCode()).isEqualTo(200);
        assertThat(postSlack(SLACK_EVENT, 1718000400, sig, Map.of("X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_timeout")).statusCode()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("slack");
        assertThat(c.get("sourceId").asText()).isEqualTo("Ev0123ABCD");
        assertThat(occurred(c)).isEqualTo(Instant.ofEpochMilli(1718000399000L));
        assertThat(c.at("/customer/handle").asText()).isEqualTo("U0123ABCD");
    }

    @Test
    void slackStaleMissingMismatchedAndBotRequestsMakeNoComplaint() throws Exception {
        long now = 1718100000;
        CLOCK.set(Instant.ofEpochSecond(now));
        String ev = SLACK_EVENT.replace("Ev0123ABCD", "Ev_stale").replace("U0123ABCD", "U0STALE");
        assertThat(postSlack(ev, now - 301, slackSignature(now - 301, ev), Map.of()).statusCode()).isEqualTo(401);
        assertThat(postSlack(ev, now + 301, slackSignature(now + 301, ev), Map.of()).statusCode()).isEqualTo(401);
        assertThat(postSlack(ev, now, slackSignature(now - 1, ev), Map.of()).statusCode()).isEqualTo(403);
        assertThat(postSigned("/webhooks/slack", "application/json", ev.getBytes(StandardCharsets.UTF_8),
                Map.of("X-Slack-Request-Timestamp", "soon", "X-Slack-Signature", slackSignature(now, ev))).statusCode()).isEqualTo(401);
        assertThat(postSigned("/webhooks/slack", "application/json", ev.getBytes(StandardCharsets.UTF_8), Map.of()).statusCode()).isEqualTo(401);
        String bot = SLACK_EVENT.replace("Ev0123ABCD", "Ev_bot").replace("\"user\":\"U0123ABCD\"", "\"user\":\"U0BOT0001\"");
        assertThat(postSlack(bot, now, slackSignature(now, bot), Map.of()).statusCode()).isEqualTo(200);
        String botId = SLACK_EVENT.replace("Ev0123ABCD", "Ev_botid").replace("\"channel_type\"", "\"bot_id\":\"B1\",\"channel_type\"");
        assertThat(postSlack(botId, now, slackSignature(now, botId), Map.of()).statusCode()).isEqualTo(200);
        assertThat(depth("complaints.desk")).isZero();
    }

    @Test
    void aSlackEditIsAFollowUpOfTheMessageItEdits() throws Exception {
        long now = 1718200000;
        CLOCK.set(Instant.ofEpochSecond(now));
        String original = SLACK_EVENT.replace("Ev0123ABCD", "Ev_orig").replace("U0123ABCD", "U0EDITOR")
                .replace("\"channel_type\"", "\"client_msg_id\":\"cm-77\",\"channel_type\"");
        assertThat(postSlack(original, now, slackSignature(now, original), Map.of()).statusCode()).isEqualTo(200);
        JsonNode first = single(desk(1));
        assertThat(first.get("sourceId").asText()).isEqualTo("cm-77");
        now += 7200;
        CLOCK.set(Instant.ofEpochSecond(now));
        String edit = "{\"type\":\"event_callback\",\"event_id\":\"Ev_edit\",\"event_time\":" + now + ",\"event\":{\"type\":\"message\","
                + "\"subtype\":\"message_changed\",\"channel\":\"C0123ABCD\",\"message\":{\"type\":\"message\",\"user\":\"U0EDITOR\","
                + "\"client_msg_id\":\"cm-77\",\"text\":\"Still no reply to ticket 4411, and now the parcel is lost\",\"ts\":\"1718000399.000100\"},"
                + "\"ts\":\"" + now + ".000200\"}}";
        assertThat(postSlack(edit, now, slackSignature(now, edit), Map.of()).statusCode()).isEqualTo(200);
        JsonNode followUp = single(desk(1));
        assertThat(followUp.get("threadOf").asText()).isEqualTo(first.get("id").asText());
        assertThat(followUp.get("sourceId").asText()).isEqualTo("Ev_edit");
    }

    // ---------------------------------------------------------------- Telegram

    static final String TELEGRAM_SECRET = "tg-secret_demo-1";
    static final String TELEGRAM_UPDATE = "{\"update_id\":981234567,\"message\":{\"message_id\":42,\"from\":{\"id\":123456789,\"is_bot\":false,\"first_name\":\"Wei\",\"last_name\":\"Zhang\",\"username\":\"zhangwei\",\"language_code\":\"zh-hans\"},\"chat\":{\"id\":123456789,\"first_name\":\"Wei\",\"last_name\":\"Zhang\",\"username\":\"zhangwei\",\"type\":\"private\"},\"date\":1718000500,\"text\":\"/complaint parcel 4411 damaged\"}}";

    HttpResponse<String> postTelegram(String json, String secret) throws Exception {
        return postSigned("/webhooks/telegram", "application/json", json.getBytes(StandardCharsets.UTF_8),
                secret == null ? Map.of() : Map.of("X-Telegram-Bot-Api-Secret-Token", secret));
    }

    static String telegram(long updateId, long chat, int messageId, String text, String kind, String extra) {
        return "{\"update_id\":" + updateId + ",\"" + kind + "\":{\"message_id\":" + messageId
                + ",\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Mei\"},\"chat\":{\"id\":" + chat
                + ",\"type\":\"private\"},\"date\":1718000500" + extra + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}}";
    }

    @Test
    void telegramSampleUpdateWithTheSecretTokenIsOneComplaintAndItsReplayNone() throws Exception {
        assertThat(postTelegram(TELEGRAM_UPDATE, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        assertThat(postTelegram(TELEGRAM_UPDATE, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("telegram");
        assertThat(c.get("sourceId").asText()).isEqualTo("123456789:42");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("123456789");
        assertThat(c.at("/customer/name").asText()).isEqualTo("Wei Zhang");
        assertThat(occurred(c)).isEqualTo(Instant.ofEpochSecond(1718000500));

        String group = telegram(2, -1001234567890L, 7, "The store on Nanjing Road sold me a broken kettle", "message", "");
        assertThat(postTelegram(group, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        assertThat(single(desk(1)).at("/customer/handle").asText()).isEqualTo("-1001234567890");
    }

    @Test
    void telegramMissingWrongPaddedOrOtherCaseTokensAndBotsQueueNothing() throws Exception {
        String update = telegram(3, 4242, 1, "My refund never came", "message", "");
        assertThat(postTelegram(update, null).statusCode()).isEqualTo(401);
        assertThat(postTelegram(update, "wrong").statusCode()).isEqualTo(403);
        // (a trailing space cannot be sent: HTTP takes the whitespace around a field value off, RFC 9110 5.5)
        assertThat(postTelegram(update, TELEGRAM_SECRET + "-").statusCode()).isEqualTo(403);
        assertThat(postTelegram(update, TELEGRAM_SECRET.substring(1)).statusCode()).isEqualTo(403);
        assertThat(postTelegram(update, TELEGRAM_SECRET.toUpperCase()).statusCode()).isEqualTo(403);
        assertThat(get("/webhooks/telegram").statusCode()).isEqualTo(405);
        String fromBot = update.replace("\"is_bot\":false", "\"is_bot\":true");
        assertThat(postTelegram(fromBot, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        byte[] huge = ("{\"update_id\":1,\"pad\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/telegram", "application/json", huge, Map.of("X-Telegram-Bot-Api-Secret-Token", TELEGRAM_SECRET)).statusCode()).isEqualTo(413);
        assertThat(depth("complaints.desk")).isZero();
    }

    @Test
    void followUpsWithinTheWindowEditsAndANewComplaintAfterIt() throws Exception {
        Instant t0 = Instant.now();
        CLOCK.set(t0);
        assertThat(postTelegram(telegram(10, 5550, 1, "The courier left my parcel in the rain and it is soaked", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode first = single(desk(1));
        String id = first.get("id").asText();
        CLOCK.set(t0.plusSeconds(60));
        assertThat(postTelegram(telegram(11, 5550, 2, "Also the invoice is wrong, you overcharged me", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode second = single(desk(1));
        assertThat(second.get("threadOf").asText()).isEqualTo(id);
        assertThat(second.get("department").asText()).isEqualTo(first.get("department").asText());
        CLOCK.set(t0.plus(Duration.ofHours(2)));
        assertThat(postTelegram(telegram(12, 5550, 1, "The courier left my parcel in the rain, it is soaked and ruined", "edited_message", ",\"edit_date\":1718009999"), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode edit = single(desk(1));
        assertThat(edit.get("threadOf").asText()).isEqualTo(id);
        assertThat(edit.get("sourceId").asText()).isEqualTo("5550:1:edit:1718009999");
        CLOCK.set(t0.plus(Duration.ofHours(3)));
        assertThat(postTelegram(telegram(13, 5550, 3, "A different matter: the shop assistant was rude", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode later = single(desk(1));
        assertThat(later.get("threadOf")).isNull();
        assertThat(later.get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void telegramPhotoIsFetchedThroughGetFile() throws Exception {
        byte[] photo = "PNG-OF-A-DENTED-BOX".getBytes(StandardCharsets.UTF_8);
        API.serveJson("/tg/bot123:ABC/getFile?file_id=AgACphotoLarge", "{\"ok\":true,\"result\":{\"file_id\":\"AgACphotoLarge\",\"file_path\":\"photos/file_7.png\"}}");
        API.serve("/tg/file/bot123:ABC/photos/file_7.png", "image/png", photo);
        String update = telegram(20, 6660, 5, null, "message",
                ",\"caption\":\"Dented on arrival\",\"photo\":[{\"file_id\":\"AgACphotoSmall\",\"width\":90},{\"file_id\":\"AgACphotoLarge\",\"width\":1280}]");
        assertThat(postTelegram(update, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("description").asText()).isEqualTo("Dented on arrival");
        assertThat(c.at("/evidence/0/sha256").asText()).isEqualTo(sha256Hex(photo));
        assertThat(c.at("/evidence/0/fileName").asText()).isEqualTo("file_7.png");
    }

    // ---------------------------------------------------------------- X

    @Test
    void xCrcWorkedExampleDirectMessageAndOurOwnOutgoingMessage() throws Exception {
        HttpResponse<String> crc = get("/webhooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553");
        assertThat(crc.statusCode()).isEqualTo(200);
        assertThat(crc.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(json(crc.body()).get("response_token").asText()).isEqualTo("sha256=G7VtkghrqVUbm/fIy8+ezVyBpIS/EdAJHZoQdCmlFpI=");

        byte[] dm = WebhookSignaturesTest.X_DM.getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/x", "application/json", dm, Map.of("x-twitter-webhooks-signature",
                "sha256=nDRE+DCl+pXVfj3cz1vyuCLF6Q+LctUBzjWpnSnw7lo")).statusCode()).isEqualTo(403);
        for (int i = 0; i < 2; i++) {
            assertThat(postSigned("/webhooks/x", "application/json", dm, Map.of("x-twitter-webhooks-signature",
                    "sha256=nDRE+DCl+pXVfj3cz1vyuCLF6Q+LctUBzjWpnSnw7lo=")).statusCode()).isEqualTo(200);
        }
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("x");
        assertThat(c.get("sourceId").asText()).isEqualTo("954491830116155396");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("3001969357");
        assertThat(c.at("/customer/name").asText()).isEqualTo("Jordan");
        assertThat(occurred(c)).isEqualTo(Instant.ofEpochMilli(1718000300000L));

        String own = WebhookSignaturesTest.X_DM.replace("954491830116155396", "954491830116155397")
                .replace("\"sender_id\":\"3001969357\"", "\"sender_id\":\"4337869213\"");
        byte[] ownBytes = own.getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned("/webhooks/x", "application/json", ownBytes, Map.of("x-twitter-webhooks-signature",
                WebhookSignatures.xToken("x-consumer-secret-demo", ownBytes))).statusCode()).isEqualTo(200);
        assertThat(post("/webhooks/x", "application/json", ownBytes).statusCode()).isEqualTo(401);
        assertThat(depth("complaints.desk")).isZero();
    }

    /**
     * The CRC answer is an HMAC with the key that signs every POST: asked to answer a whole DM body as its crc_token,
     * the hub would sign that body for anybody. It answers only tokens shaped like X's, and a POST carrying whatever the
     * CRC gave is refused, with nothing queued.
     */
    @Test
    void xCrcSignsNoDirectMessageBodyAndAPostSignedByACrcAnswerIsRefused() throws Exception {
        String forgedDm = WebhookSignaturesTest.X_DM.replace("954491830116155396", "954491830116159999")
                .replace("Your courier lost my parcel", "I withdraw every complaint and owe you money");
        HttpResponse<String> crc = get("/webhooks/x?crc_token=" + java.net.URLEncoder.encode(forgedDm, StandardCharsets.UTF_8));
        String answered = crc.statusCode() == 200 ? json(crc.body()).path("response_token").asText("") : "";
        HttpResponse<String> forged = postSigned("/webhooks/x", "application/json", forgedDm.getBytes(StandardCharsets.UTF_8),
                Map.of("x-twitter-webhooks-signature", answered.isEmpty() ? "sha256=" : answered));

        assertThat(crc.statusCode()).as(crc.body()).isEqualTo(400);
        assertThat(crc.body()).doesNotContain("response_token");
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
        // X's own token shape is still answered
        assertThat(get("/webhooks/x?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553").statusCode()).isEqualTo(200);
    }

    /** One signed WeChat URL admits one request: the same timestamp and nonce again are refused (plain and safe mode). */
    @Test
    void wechatReplayedTimestampAndNonceAreRefusedInPlainAndSafeMode() throws Exception {
        CLOCK.set(Instant.ofEpochSecond(1718000601));
        String first = WebhookSignaturesTest.PLAIN_XML.replace("24612345678901234", "24612345678904101")
                .replace("oAbCdEfGhIjKlMnOpQrStUvWxYz0", "oReplayVictim0000000000000001");
        assertThat(postXml("/webhooks/wechat" + plainQuery(1718000601, "4101"), first).statusCode()).isEqualTo(200);
        String swapped = first.replace("24612345678904101", "24612345678904102").replace("我的快递破损了，要求退款", "我撤回所有投诉");
        HttpResponse<String> replay = postXml("/webhooks/wechat" + plainQuery(1718000601, "4101"), swapped);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
        assertThat(json(replay.body()).at("/errors/0/code").asText()).isEqualTo("replayed");

        String xml = first.replace("24612345678904101", "24612345678904103");
        String enc = WechatSafeMode.encrypt(WebhookSignaturesTest.OWN_AES_KEY, WebhookSignaturesTest.OWN_APP_ID, xml,
                "fedcba9876543210".getBytes(StandardCharsets.UTF_8), null);
        assertThat(postXml("/webhooks/wechat" + safeQuery(1718000601, "4103", enc), safeBody(enc)).statusCode()).isEqualTo(200);
        assertThat(postXml("/webhooks/wechat" + safeQuery(1718000601, "4103", enc), safeBody(enc)).statusCode()).isEqualTo(401);

        assertThat(desk(2)).extracting(c -> c.get("sourceId").asText())
                .containsExactlyInAnyOrder("24612345678904101", "24612345678904103");
    }

    // ---------------------------------------------------------------- Meta media, satisfaction by digit

    @Test
    void messengerAndWhatsappMediaAreFetchedIntoEvidence() throws Exception {
        byte[] photo = "MESSENGER-PHOTO".getBytes(StandardCharsets.UTF_8);
        API.serve("/cdn/p.jpg", "image/jpeg", photo);
        String withImage = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"PSID-IMG\"},\"recipient\":{\"id\":\"P1\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_img\",\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\"" + API.base() + "/cdn/p.jpg\"}}]}}]}]}";
        assertThat(postMeta(withImage).statusCode()).isEqualTo(200);
        JsonNode m = single(desk(1));
        assertThat(m.at("/evidence/0/sha256").asText()).isEqualTo(sha256Hex(photo));
        assertThat(m.get("description").asText()).contains("image/jpeg");

        byte[] waPhoto = "WHATSAPP-PHOTO".getBytes(StandardCharsets.UTF_8);
        API.serveJson("/graph/MEDIA123", "{\"url\":\"" + API.base() + "/wa-media/MEDIA123\",\"mime_type\":\"image/jpeg\"}");
        API.serve("/wa-media/MEDIA123", "image/jpeg", waPhoto);
        String wa = META_WHATSAPP.replace("\"type\":\"text\",\"text\":{\"body\":\"Refund please, order 4411\"}",
                "\"type\":\"image\",\"image\":{\"id\":\"MEDIA123\",\"caption\":\"Broken on arrival\",\"mime_type\":\"image/jpeg\"}")
                .replace("wamid.HBgLODYxMzgwMDEzODAwMBUCABIYFDNBQTk5", "wamid.IMG");
        assertThat(postMeta(wa).statusCode()).isEqualTo(200);
        JsonNode w = single(desk(1));
        assertThat(w.get("description").asText()).isEqualTo("Broken on arrival");
        assertThat(w.at("/evidence/0/sha256").asText()).isEqualTo(sha256Hex(waPhoto));
        assertThat(API.received()).filteredOn(r -> r.path().startsWith("/graph/MEDIA123") || r.path().startsWith("/wa-media/"))
                .extracting(PlatformMedia.Request::authorization).containsOnly("Bearer wa-token-demo");
        assertThat(API.received()).filteredOn(r -> r.path().equals("/cdn/p.jpg")).extracting(PlatformMedia.Request::authorization).containsOnlyNulls();
    }

    @Autowired
    ContactLedger ledger;

    @Test
    void aLoneDigitAfterAThankYouIsTheSatisfactionScoreNotAComplaint() throws Exception {
        assertThat(postTelegram(telegram(30, 7770, 1, "My washing machine leaks water everywhere", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        String id = single(desk(1)).get("id").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
        // what the outbound path does when the desk resolves it and the thank-you goes out on Telegram
        ledger.markResolved(id, "Replaced the machine", "Agent Li", java.time.OffsetDateTime.now(CLOCK));
        ledger.recordSent(id, "THANKS", "telegram", "hash-of-7770", java.time.OffsetDateTime.now(CLOCK));

        assertThat(postTelegram(telegram(31, 7770, 2, "4", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        assertThat(depth("complaints.desk")).isZero();
        jakarta.jms.Message event = jms.receive("complaints.events");
        assertThat(event).isNotNull();
        JsonNode e = json(((jakarta.jms.TextMessage) event).getText());
        assertThat(e.get("type").asText()).isEqualTo("SATISFACTION");
        assertThat(e.get("id").asText()).isEqualTo(id);
        assertThat(e.get("score").asInt()).isEqualTo(4);
        assertThat(event.getStringProperty("complaintId")).isEqualTo(id);
        assertThat(ledger.find(id).orElseThrow().satisfactionScore()).isEqualTo(4);
    }

    /** A platform's retry of the score (after it was recorded) is the same message: no complaint, no second event. */
    @Test
    void aScoreDeliveredTwiceIsOneSatisfactionEventAndNoComplaint() throws Exception {
        assertThat(postTelegram(telegram(32, 7771, 1, "The dryer I bought stopped working after a week", "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        String id = single(desk(1)).get("id").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(id).isPresent());
        ledger.markResolved(id, "Repaired the dryer", "Agent Wu", java.time.OffsetDateTime.now(CLOCK));
        ledger.recordSent(id, "THANKS", "telegram", "hash-of-7771", java.time.OffsetDateTime.now(CLOCK));

        String five = telegram(33, 7771, 2, "5", "message", "");
        assertThat(postTelegram(five, TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        assertThat(postTelegram(five, TELEGRAM_SECRET).statusCode()).as("Telegram's retry").isEqualTo(200);

        List<JsonNode> events = drain("complaints.events");
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("SATISFACTION");
        assertThat(events.get(0).get("score").asInt()).isEqualTo(5);
        assertThat(depth("complaints.desk")).as("no complaint, so no acknowledgement").isZero();
        assertThat(depth("complaints.quarantine")).isZero();
        assertThat(ledger.find(id).orElseThrow().satisfactionScore()).isEqualTo(5);
    }

    @Test
    void instagramMessageIsItsOwnChannelWithTheIgsidAsHandle() throws Exception {
        String ig = META_PAGE.replace("\"object\":\"page\"", "\"object\":\"instagram\"").replace("m_AbCdEf123", "ig_mid_1")
                .replace("6543210987654321", "IGSID-17841400000000001");
        assertThat(postMeta(ig).statusCode()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("instagram");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("IGSID-17841400000000001");
    }

    @Test
    void aMessageThePipelineRefusesIsQuarantinedWithItsEventAndTheRequestAnswered200(CapturedOutput log) throws Exception {
        String tooLong = "退".repeat(20_001);
        assertThat(postTelegram(telegram(40, 8880123, 1, tooLong, "message", ""), TELEGRAM_SECRET).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.quarantine") >= 1);
        jakarta.jms.Message q = jms.receive("complaints.quarantine");
        assertThat(q.getStringProperty("reason")).contains("description");
        assertThat(q.getStringProperty("channel")).isEqualTo("telegram");
        assertThat(((jakarta.jms.TextMessage) q).getText()).contains("\"message_id\":1").contains("8880123");
        assertThat(depth("complaints.desk")).isZero();
        assertThat(log.getAll()).as("platform user ids are personal data: never in the log")
                .doesNotContain("8880123").doesNotContain("6543210987654321").doesNotContain("oAbCdEfGhIjKlMnOpQrStUvWxYz0");
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

    /** What the desk queue holds once it holds at least {@code n} (the broker's divert copies after the send). */
    List<JsonNode> desk(int n) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.desk") >= n);
        return drain("complaints.desk");
    }

    static Instant occurred(JsonNode record) {
        return java.time.OffsetDateTime.parse(record.get("occurredAt").asText()).toInstant();
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

    static String sha1Hex(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256Hex(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    static List<String> texts(List<JsonNode> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.get("description").asText()));
        return out;
    }
}
