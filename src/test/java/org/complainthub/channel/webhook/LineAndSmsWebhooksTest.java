package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The two channels that are files only, end to end on the hub as shipped: the LINE Messaging API webhook
 * (routes/line.camel.yaml, channel-config/line, mappings/line.jsonata) and the inbound SMS gateway callback (the same
 * three for sms), switched on and given their secrets here. Signed requests become complaints on their department's
 * queue; forged, missing, duplicated or stale signatures and hostile bodies are refused with nothing queued. SMS
 * customers are acknowledged by the hub's SMS gateway (a local stand-in).
 */
@TestPropertySource(properties = {"hub.outbound.sms.token=gateway-token-demo", "hub.outbound.sms.sender=SHOP",
        // no quiet hours: the acknowledgement goes out whatever the time of the test
        "hub.outbound.sms.quiet-from=00:00", "hub.outbound.sms.quiet-until=00:00",
        "hub.outbound.max-per-recipient-per-hour=100"})
class LineAndSmsWebhooksTest extends HubIntegrationTest {

    static final String LINE_SECRET = "line-channel-secret-demo";
    static final String SMS_SECRET = "sms-gateway-secret-demo";
    static SmsGateway gateway;

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry r) throws Exception {
        gateway = new SmsGateway();
        r.add("hub.outbound.sms.url", gateway::url);
        r.add("hub.webhooks.line.enabled", () -> "true");
        r.add("hub.webhooks.line.signature.secret", () -> LINE_SECRET);
        r.add("hub.webhooks.sms.enabled", () -> "true");
        r.add("hub.webhooks.sms.signature.secret", () -> SMS_SECRET);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void emptyQueues() throws Exception {
        drainDeskQueues("complaints.quarantine", "complaints.events");
    }

    // ---------------------------------------------------------------- LINE

    static String lineText(String messageId, String userId, String text, boolean redelivery) {
        return "{\"destination\":\"U4af4980629aaaaaaaaaaaaaaaaaaaaaa\",\"events\":[{\"type\":\"message\",\"message\":{\"type\":\"text\",\"id\":\""
                + messageId + "\",\"quoteToken\":\"q3Plxr4AgKd\",\"text\":\"" + text + "\"},\"webhookEventId\":\"01H810YECXQQZ37VAXPF6H9E6T\","
                + "\"deliveryContext\":{\"isRedelivery\":" + redelivery + "},\"timestamp\":1692251666727,\"source\":{\"type\":\"user\",\"userId\":\""
                + userId + "\"},\"replyToken\":\"38ef843bde154d9b91c21320ffd17a0f\",\"mode\":\"active\"}]}";
    }

    static String lineSignature(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(HmacScheme.mac("HmacSHA256", secret, body));
    }

    HttpResponse<String> postLine(String json, Map<String, String> headers) throws Exception {
        return send("/webhooks/line", "application/json", json.getBytes(StandardCharsets.UTF_8), headers);
    }

    HttpResponse<String> postLine(String json) throws Exception {
        return postLine(json, Map.of("X-Line-Signature", lineSignature(LINE_SECRET, json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aSignedLineTextMessageIsOneComplaintOnItsDepartmentsQueueHoweverOftenLineRedeliversIt() throws Exception {
        String body = lineText("468789577898262530", "U91eeaf62d901234567890123456789ab",
                "The courier broke my parcel, order 4411, I want a refund", false);
        HttpResponse<String> r = postLine(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("line");
        assertThat(c.get("sourceId").asText()).isEqualTo("468789577898262530");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("U91eeaf62d901234567890123456789ab");
        assertThat(c.get("description").asText()).isEqualTo("The courier broke my parcel, order 4411, I want a refund");
        assertThat(java.time.OffsetDateTime.parse(c.get("occurredAt").asText()).toInstant()).isEqualTo(Instant.ofEpochMilli(1692251666727L));
        assertThat(c.at("/raw/inline").asText()).contains("38ef843bde154d9b91c21320ffd17a0f");
        onItsDepartmentsQueue(c);

        String again = body.replace("\"isRedelivery\":false", "\"isRedelivery\":true");
        assertThat(postLine(again).statusCode()).isEqualTo(200);
        assertThat(postLine(body).statusCode()).isEqualTo(200);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void lineForgedMissingDuplicatedTamperedAndHexSignaturesQueueNothing() throws Exception {
        String body = lineText("468789577898262540", "U0FORGED00000000000000000000000aa", "Forged complaint", false);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(postLine(body, Map.of()).statusCode()).as("missing").isEqualTo(401);
        assertThat(postLine(body, Map.of("X-Line-Signature", lineSignature("another-channel-secret", bytes))).statusCode())
                .as("forged").isEqualTo(403);
        String tampered = body.replace("Forged complaint", "Forged complaint!");
        assertThat(postLine(tampered, Map.of("X-Line-Signature", lineSignature(LINE_SECRET, bytes))).statusCode())
                .as("tampered").isEqualTo(403);
        assertThat(postLine(body, Map.of("X-Line-Signature", HexFormat.of().formatHex(HmacScheme.mac("HmacSHA256", LINE_SECRET, bytes))))
                .statusCode()).as("hex instead of base64").isEqualTo(403);
        String unpadded = lineSignature(LINE_SECRET, bytes).replace("=", "");
        assertThat(postLine(body, Map.of("X-Line-Signature", unpadded)).statusCode()).as("unpadded base64").isEqualTo(403);
        HttpRequest twice = HttpRequest.newBuilder(uri("/webhooks/line")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Line-Signature", lineSignature(LINE_SECRET, bytes))
                .header("X-Line-Signature", lineSignature(LINE_SECRET, bytes)).POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        assertThat(http.send(twice, HttpResponse.BodyHandlers.ofString()).statusCode()).as("the header twice").isEqualTo(401);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void lineHostileBodiesAreRefusedAndEventsThatAreNoTextMessagesIgnored() throws Exception {
        assertThat(postLine("{\"destination\":\"U4af\",\"events\":[").statusCode()).as("malformed JSON").isEqualTo(400);
        assertThat(postLine("[1,2,3]").statusCode()).as("not an object").isEqualTo(400);
        assertThat(postLine("{\"destination\":\"U4af\",\"events\":[],\"pad\":\"" + "x".repeat(1_100_000) + "\"}").statusCode())
                .as("over max-bytes").isEqualTo(413);
        // a body of undeclared length (chunked) is cut after max-bytes + 1 before anything holds more: 413
        byte[] endless = ("{\"destination\":\"U4af\",\"events\":[],\"pad\":\"" + "x".repeat(1_500_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/webhooks/line")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Line-Signature", lineSignature(LINE_SECRET, endless))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(endless))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as("chunked, over max-bytes").isEqualTo(413);
        // a form body on a JSON platform is not parsed by the HTTP layer (a broken %-escape there was a 500): 400
        byte[] form = "a=%zz".getBytes(StandardCharsets.UTF_8);
        assertThat(send("/webhooks/line", "application/x-www-form-urlencoded", form,
                Map.of("X-Line-Signature", lineSignature(LINE_SECRET, form))).statusCode()).as("a form on a JSON platform").isEqualTo(400);
        String deep = "{\"destination\":\"U4af\",\"events\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
        assertThat(postLine(deep).statusCode()).as("deeply nested").isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(uri("/webhooks/line")).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("GET").isEqualTo(405);
        // the console's "Verify" request, a sticker and a follow: answered 200, no complaint
        assertThat(postLine("{\"destination\":\"U4af4980629aaaaaaaaaaaaaaaaaaaaaa\",\"events\":[]}").statusCode()).isEqualTo(200);
        String sticker = lineText("468789577898262550", "U0STICKER0000000000000000000000aa", "x", false)
                .replace("\"type\":\"text\"", "\"type\":\"sticker\"");
        assertThat(postLine(sticker).statusCode()).isEqualTo(200);
        String follow = "{\"destination\":\"U4af\",\"events\":[{\"type\":\"follow\",\"timestamp\":1692251668000,\"source\":{\"type\":\"user\","
                + "\"userId\":\"U0FOLLOW00000000000000000000000aa\"},\"replyToken\":\"bb17\",\"mode\":\"active\",\"follow\":{\"isUnblocked\":false}}]}";
        assertThat(postLine(follow).statusCode()).isEqualTo(200);
        // a text the pipeline refuses (longer than a description may be): kept in quarantine with its event, answered 200
        String tooLong = lineText("468789577898262551", "U0TOOLONG00000000000000000000000aa", "x", false)
                .replace("\"text\":\"x\"", "\"text\":\"" + "投诉".repeat(10_001) + "\"");
        assertThat(postLine(tooLong).statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.quarantine") >= 1);
        jakarta.jms.Message q = jms.receive("complaints.quarantine");
        assertThat(q.getStringProperty("channel")).isEqualTo("line");
        assertThat(q.getStringProperty("reason")).contains("description");
        assertThat(depth("complaints.desk")).isZero();
    }

    @Test
    void aSecondLineMessageWithinTheWindowIsAFollowUpOfTheFirst() throws Exception {
        assertThat(postLine(lineText("468789577898262560", "U0FOLLOWUP000000000000000000000aa",
                "My washing machine leaks water everywhere", false)).statusCode()).isEqualTo(200);
        JsonNode first = single(desk(1));
        assertThat(postLine(lineText("468789577898262561", "U0FOLLOWUP000000000000000000000aa",
                "And the technician never came", false)).statusCode()).isEqualTo(200);
        JsonNode second = single(desk(1));
        assertThat(second.get("threadOf").asText()).isEqualTo(first.get("id").asText());
        assertThat(second.get("department").asText()).isEqualTo(first.get("department").asText());
    }

    // ---------------------------------------------------------------- SMS

    static String form(Map<String, String> fields, Charset charset) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, charset)).append('=')
                .append(URLEncoder.encode(v, charset)));
        return b.toString();
    }

    static Map<String, String> sms(String from, String messageId, String text) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("from", from);
        f.put("to", "+8610690000");
        f.put("text", text);
        f.put("message_id", messageId);
        f.put("timestamp", String.valueOf(Instant.now().getEpochSecond()));
        return f;
    }

    static String smsSignature(String secret, String timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = java.util.Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return HexFormat.of().formatHex(HmacScheme.mac("HmacSHA256", secret, signed));
    }

    HttpResponse<String> postSms(byte[] body, String contentType, Map<String, String> headers) throws Exception {
        return send("/webhooks/sms", contentType, body, headers);
    }

    HttpResponse<String> postSms(String form) throws Exception {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return postSms(body, "application/x-www-form-urlencoded", Map.of("X-Timestamp", ts, "X-Signature",
                smsSignature(SMS_SECRET, ts, body)));
    }

    @Test
    void aSignedSmsIsAComplaintWithThePhoneOnItsDepartmentsQueueAcknowledgedBySmsAndItsRetryNone() throws Exception {
        String body = form(sms("+8613800138000", "SM9f3c2a71", "快递把我的包裹弄坏了，订单号4411，要求退款"), StandardCharsets.UTF_8);
        HttpResponse<String> r = postSms(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = single(desk(1));
        assertThat(c.get("channel").asText()).isEqualTo("sms");
        assertThat(c.get("sourceId").asText()).isEqualTo("SM9f3c2a71");
        assertThat(c.at("/customer/phone").asText()).isEqualTo("+8613800138000");
        assertThat(c.at("/customer/handle").asText()).isEqualTo("+8613800138000");
        assertThat(c.at("/customer/language").asText()).isEqualTo("zh");
        assertThat(c.get("description").asText()).isEqualTo("快递把我的包裹弄坏了，订单号4411，要求退款");
        onItsDepartmentsQueue(c);

        // the gateway's retry of the same SMS (a new signature, a new timestamp): the same complaint
        assertThat(postSms(body).statusCode()).isEqualTo(200);
        assertThat(depth("complaints.desk")).isZero();

        // the acknowledgement by the hub's SMS gateway, to the number the SMS came from
        SmsGateway.Request ack = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gateway.received().stream()
                .filter(q -> q.body().contains(c.get("id").asText())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(json(ack.body()).get("to").asText()).isEqualTo("+8613800138000");
    }

    @Test
    void aGbkFormIsReadInItsCharset() throws Exception {
        String body = form(sms("+8613800138002", "SM9f3c2a90", "空调坏了没人修"), Charset.forName("GBK"));
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        String ts = String.valueOf(Instant.now().getEpochSecond());
        HttpResponse<String> r = postSms(bytes, "application/x-www-form-urlencoded; charset=GBK",
                Map.of("X-Timestamp", ts, "X-Signature", smsSignature(SMS_SECRET, ts, bytes)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(single(desk(1)).get("description").asText()).isEqualTo("空调坏了没人修");
    }

    @Test
    void smsForgedMissingStaleAndWronglySignedCallbacksQueueNothing() throws Exception {
        byte[] body = form(sms("+8613800138001", "SM9f3c2a80", "Forged"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        String form = "application/x-www-form-urlencoded";
        long now = Instant.now().getEpochSecond();
        String ts = String.valueOf(now);
        assertThat(postSms(body, form, Map.of()).statusCode()).as("nothing").isEqualTo(401);
        assertThat(postSms(body, form, Map.of("X-Timestamp", ts)).statusCode()).as("no signature").isEqualTo(401);
        assertThat(postSms(body, form, Map.of("X-Signature", smsSignature(SMS_SECRET, ts, body))).statusCode())
                .as("no timestamp").isEqualTo(401);
        assertThat(postSms(body, form, Map.of("X-Timestamp", "soon", "X-Signature", smsSignature(SMS_SECRET, "soon", body)))
                .statusCode()).as("a timestamp that is no number").isEqualTo(401);
        String stale = String.valueOf(now - 310);
        assertThat(postSms(body, form, Map.of("X-Timestamp", stale, "X-Signature", smsSignature(SMS_SECRET, stale, body)))
                .statusCode()).as("stale").isEqualTo(401);
        String future = String.valueOf(now + 310);
        assertThat(postSms(body, form, Map.of("X-Timestamp", future, "X-Signature", smsSignature(SMS_SECRET, future, body)))
                .statusCode()).as("from the future").isEqualTo(401);
        assertThat(postSms(body, form, Map.of("X-Timestamp", ts, "X-Signature", smsSignature("another-secret", ts, body)))
                .statusCode()).as("forged").isEqualTo(403);
        assertThat(postSms(body, form, Map.of("X-Timestamp", ts, "X-Signature", smsSignature(SMS_SECRET, String.valueOf(now - 1), body)))
                .statusCode()).as("signed with another timestamp").isEqualTo(403);
        String bodyOnly = HexFormat.of().formatHex(HmacScheme.mac("HmacSHA256", SMS_SECRET, body));
        assertThat(postSms(body, form, Map.of("X-Timestamp", ts, "X-Signature", bodyOnly)).statusCode())
                .as("the body signed without the timestamp").isEqualTo(403);
        assertThat(postSms(body, form, Map.of("X-Timestamp", ts, "X-Signature", smsSignature(SMS_SECRET, ts, body).toUpperCase())).statusCode())
                .as("upper-case hex is the same signature").isEqualTo(200);
        assertThat(single(desk(1)).get("sourceId").asText()).isEqualTo("SM9f3c2a80");
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void smsHostileBodiesGet4xxOrQuarantine() throws Exception {
        long now = Instant.now().getEpochSecond();
        String ts = String.valueOf(now);
        byte[] json = "{\"from\":\"+8613800138000\",\"text\":\"hi\",\"message_id\":\"SMJSON\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(postSms(json, "application/json", Map.of("X-Timestamp", ts, "X-Signature", smsSignature(SMS_SECRET, ts, json)))
                .statusCode()).as("a JSON body").isEqualTo(415);
        byte[] broken = "from=%2B86138&text=%zz&message_id=SMBROKEN".getBytes(StandardCharsets.UTF_8);
        assertThat(postSms(broken, "application/x-www-form-urlencoded", Map.of("X-Timestamp", ts, "X-Signature",
                smsSignature(SMS_SECRET, ts, broken))).statusCode()).as("broken percent-encoding").isEqualTo(400);
        byte[] huge = ("text=" + "x".repeat(70_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(postSms(huge, "application/x-www-form-urlencoded", Map.of("X-Timestamp", ts, "X-Signature",
                smsSignature(SMS_SECRET, ts, huge))).statusCode()).as("over max-bytes").isEqualTo(413);
        byte[] charset = "text=a".getBytes(StandardCharsets.UTF_8);
        assertThat(postSms(charset, "application/x-www-form-urlencoded; charset=no-such-charset", Map.of("X-Timestamp", ts,
                "X-Signature", smsSignature(SMS_SECRET, ts, charset))).statusCode()).as("an unknown charset").isEqualTo(415);
        assertThat(depth("complaints.desk")).isZero();
        assertThat(depth("complaints.quarantine")).isZero();

        // signed by the gateway but without message_id: kept in quarantine with its fields, answered 200
        assertThat(postSms("from=%2B8613800138000&to=%2B8610690000&text=where+is+my+refund").statusCode()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.quarantine") >= 1);
        jakarta.jms.Message q = jms.receive("complaints.quarantine");
        assertThat(q.getStringProperty("channel")).isEqualTo("sms");
        assertThat(((jakarta.jms.TextMessage) q).getText()).contains("where is my refund");
        assertThat(depth("complaints.desk")).isZero();
    }

    // ---------------------------------------------------------------- helpers

    HttpResponse<String> send(String path, String contentType, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The record is on complaints.<its department> too (the desk's copy is the broker's divert). */
    void onItsDepartmentsQueue(JsonNode c) throws Exception {
        String queue = "complaints." + c.get("department").asText();
        List<JsonNode> there = drain(queue);
        assertThat(there).as(queue).extracting(r -> r.get("id").asText()).containsExactly(c.get("id").asText());
    }

    List<JsonNode> desk(int n) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.desk") >= n);
        return drain("complaints.desk");
    }

    static JsonNode single(List<JsonNode> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }
}
