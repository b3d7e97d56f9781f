package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.PlatformApi;
import org.complainthub.support.PlatformApi.Answer;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Replies on the social platforms, asserted as the exact HTTP requests (method, path, auth, JSON body) a local server
 * standing in for each platform receives: the acknowledgement and the thank-you where the customer wrote, in Chinese
 * and English; WeChat's access token fetched once and renewed; the reply windows (WeChat 48 h, WhatsApp and Messenger
 * 24 h, restarted by a follow-up) with template messages or another contact after them; platform error answers.
 * Complaints enter the core as the social channels' routes will hand them over (a record for channel wechat, ...):
 * validated, enriched, classified, deduplicated and dispatched; the broker's copy reaches the outbound path as usual.
 */
@TestPropertySource(properties = {"hub.outbound.retries=3", "hub.outbound.retry-delay-ms=100",
        "hub.outbound.retry-max-delay-ms=400", "hub.outbound.max-per-recipient-per-hour=100",
        "hub.outbound.overdue.interim-message-grades=",
        "hub.outbound.wechat.app-id=wxd1e2f3a4b5c6d7e8", "hub.outbound.wechat.app-secret=wechat-secret-demo",
        "hub.outbound.wechat.template.thanks=tmpl-resolved-demo",
        "hub.outbound.messenger.sender-id=112233445566778", "hub.outbound.messenger.token=page-token-demo",
        "hub.outbound.instagram.sender-id=17841400000000000", "hub.outbound.instagram.token=ig-token-demo",
        "hub.outbound.whatsapp.sender-id=106540352242922", "hub.outbound.whatsapp.token=wa-token-demo",
        "hub.outbound.whatsapp.template.thanks=complaint_resolved",
        "hub.outbound.telegram.token=123456:ABC-demo", "hub.outbound.slack.token=xoxb-demo",
        "hub.outbound.x.refresh-token=x-refresh-token-0", "hub.outbound.x.app-id=x-client-id",
        "hub.outbound.x.app-secret=x-client-secret", "hub.outbound.sms.token=sms-token-demo"})
@Import(ChatRepliesTest.Setup.class)
@ExtendWith(OutputCaptureExtension.class)
class ChatRepliesTest extends HubIntegrationTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final TestClock CLOCK = new TestClock(SHANGHAI);
    static PlatformApi api;

    @TestConfiguration
    static class Setup {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }

        /** The core entry as a social channel route uses it, after its mapping: a record for that channel. */
        @Bean
        RouteBuilder socialRecordIntake() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-social-record").routeId("test-social-record")
                            .bean("intakeSteps", "run(${body}, ${header.channel})")
                            .to("direct:complaint-dispatch");
                }
            };
        }
    }

    @DynamicPropertySource
    static void platforms(DynamicPropertyRegistry registry) throws Exception {
        api = new PlatformApi();
        registry.add("hub.outbound.wechat.base-url", () -> api.url("/wechat"));
        for (String meta : List.of("messenger", "instagram", "whatsapp")) {
            registry.add("hub.outbound." + meta + ".base-url", () -> api.url("/graph/v21.0"));
        }
        registry.add("hub.outbound.telegram.base-url", () -> api.url("/telegram"));
        registry.add("hub.outbound.slack.base-url", () -> api.url("/slack"));
        registry.add("hub.outbound.x.base-url", () -> api.url("/x"));
        registry.add("hub.outbound.sms.url", () -> api.url("/sms/v1/sms"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    ContactLedger ledger;
    @Autowired
    MessageTemplates templates;
    @Autowired
    OutboundSender sender;
    @Autowired
    javax.sql.DataSource dataSource;

    @BeforeEach
    void daytime() {
        CLOCK.set(ZonedDateTime.now(SHANGHAI).withHour(10).withMinute(0).toInstant());
    }

    // ---- acknowledgements, one platform each, zh and en ----

    @Test
    void wechatAcknowledgementIsACustomerServiceMessageWithTheFetchedToken() throws Exception {
        int tokensBefore = fetches();
        String id = complaint("wechat", "oWeChatAck000000000000000001", "zh", "我的快递破损了，要求退款", null);
        PlatformApi.Request ack = requestFor("/wechat/cgi-bin/message/custom/send", "oWeChatAck000000000000000001");
        assertThat(ack.method()).isEqualTo("POST");
        assertThat(ack.query()).matches("access_token=wx-access-token-\\d+");
        assertThat(ack.authorization()).isNull();
        assertThat(ack.contentType()).startsWith("application/json");
        assertThat(json(ack.body())).isEqualTo(tree(Map.of("touser", "oWeChatAck000000000000000001", "msgtype", "text",
                "text", Map.of("content", text(id, OutboundRequest.Kind.ACK)))));
        assertThat(text(id, OutboundRequest.Kind.ACK)).contains(id, "已受理", "/status/", "/optout/");

        PlatformApi.Request token = api.received().stream().filter(r -> r.path().equals("/wechat/cgi-bin/stable_token"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(token.query()).as("the secret travels in the body, not the URL").isNull();
        assertThat(json(token.body())).isEqualTo(tree(Map.of("grant_type", "client_credential",
                "appid", "wxd1e2f3a4b5c6d7e8", "secret", "wechat-secret-demo", "force_refresh", false)));
        assertThat(fetches() - tokensBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void theWechatTokenIsKeptUntilItExpiresAndRenewedWhenWechatSaysItExpired() throws Exception {
        complaint("wechat", "oWeChatTok000000000000000001", "zh", "门店店员态度很差", null);
        requestFor("/wechat/cgi-bin/message/custom/send", "oWeChatTok000000000000000001");
        int fetched = fetches();
        complaint("wechat", "oWeChatTok000000000000000002", "zh", "门店店员态度很差，第二次", null);
        requestFor("/wechat/cgi-bin/message/custom/send", "oWeChatTok000000000000000002");
        assertThat(fetches()).as("the cached token served the second message").isEqualTo(fetched);

        CLOCK.advance(Duration.ofMinutes(116)); // 7200 s minus the 5-minute margin: renewed before it runs out
        complaint("wechat", "oWeChatTok000000000000000003", "zh", "门店店员态度很差，第三次", null);
        requestFor("/wechat/cgi-bin/message/custom/send", "oWeChatTok000000000000000003");
        assertThat(fetches()).isEqualTo(fetched + 1);

        api.answerNext("/wechat/cgi-bin/message/custom/send",
                new Answer(200, "{\"errcode\":42001,\"errmsg\":\"access_token expired rid: 6650a1b2-0c1d2e3f\"}"));
        complaint("wechat", "oWeChatTok000000000000000004", "zh", "门店店员态度很差，第四次", null);
        List<PlatformApi.Request> tries = await().atMost(Duration.ofSeconds(20)).until(
                () -> requestsFor("/wechat/cgi-bin/message/custom/send", "oWeChatTok000000000000000004"), l -> l.size() == 2);
        assertThat(fetches()).isEqualTo(fetched + 2);
        assertThat(tries.get(1).query()).isNotEqualTo(tries.get(0).query()).endsWith("-" + (fetched + 2));
    }

    @Test
    void messengerAndInstagramAcknowledgementsGoThroughTheSendApiAsThePage() throws Exception {
        String fb = complaint("messenger", "6543210987654321", "en", "My order #4411 arrived broken", null);
        PlatformApi.Request m = requestFor("/graph/v21.0/112233445566778/messages", "6543210987654321");
        assertThat(m.authorization()).isEqualTo("Bearer page-token-demo");
        assertThat(m.query()).isNull();
        assertThat(json(m.body())).isEqualTo(tree(Map.of("recipient", Map.of("id", "6543210987654321"),
                "messaging_type", "RESPONSE", "message", Map.of("text", text(fb, OutboundRequest.Kind.ACK)))));
        assertThat(text(fb, OutboundRequest.Kind.ACK)).contains(fb).doesNotContainPattern("[\\u4e00-\\u9fff]");

        String ig = complaint("instagram", "1789000000000001", "zh", "直播间买的衣服尺码不对，客服不回复", null);
        PlatformApi.Request i = requestFor("/graph/v21.0/17841400000000000/messages", "1789000000000001");
        assertThat(i.authorization()).isEqualTo("Bearer ig-token-demo");
        assertThat(json(i.body())).isEqualTo(tree(Map.of("recipient", Map.of("id", "1789000000000001"),
                "messaging_type", "RESPONSE", "message", Map.of("text", text(ig, OutboundRequest.Kind.ACK)))));
    }

    @Test
    void telegramSlackAndXAcknowledgements() throws Exception {
        String tg = complaint("telegram", "123456789", "zh", "/complaint 包裹 4411 破损", null);
        PlatformApi.Request t = requestFor("/telegram/bot123456:ABC-demo/sendMessage", "123456789");
        assertThat(t.authorization()).isNull();
        assertThat(json(t.body())).isEqualTo(tree(Map.of("chat_id", 123456789L, "text", text(tg, OutboundRequest.Kind.ACK),
                "link_preview_options", Map.of("is_disabled", true))));

        String sl = complaint("slack", "U0123ABCD", "en", "Still no reply to ticket 4411", null);
        PlatformApi.Request s = requestFor("/slack/api/chat.postMessage", "U0123ABCD");
        assertThat(s.authorization()).isEqualTo("Bearer xoxb-demo");
        assertThat(json(s.body())).isEqualTo(tree(Map.of("channel", "U0123ABCD", "text", text(sl, OutboundRequest.Kind.ACK),
                "unfurl_links", false)));

        String x = complaint("x", "3001969357", "en", "Your courier lost my parcel", null);
        PlatformApi.Request d = requestFor("/x/2/dm_conversations/with/3001969357/messages", null);
        assertThat(d.authorization()).isEqualTo("Bearer x-access-token-1");
        assertThat(json(d.body())).isEqualTo(tree(Map.of("text", text(x, OutboundRequest.Kind.ACK))));
        PlatformApi.Request refresh = requestFor("/x/2/oauth2/token", null);
        assertThat(refresh.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                .encodeToString("x-client-id:x-client-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(refresh.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(refresh.body()).isEqualTo("grant_type=refresh_token&refresh_token=x-refresh-token-0&client_id=x-client-id");
    }

    /** X's user token lives two hours and its refresh token rotates: a 401 refreshes with the newest one, kept in the database. */
    @Test
    void anExpiredXTokenIsRefreshedWithTheRotatedRefreshTokenAndTheMessageSentAgain() throws Exception {
        complaint("x", "3001969358", "en", "My refund is two weeks late", null);
        requestFor("/x/2/dm_conversations/with/3001969358/messages", null);
        api.answerNext("/x/2/dm_conversations/with/3001969359/messages",
                new Answer(401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}"));
        complaint("x", "3001969359", "en", "The courier never came", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> requestsFor("/x/2/dm_conversations/with/3001969359/messages", null).size() == 2);
        List<PlatformApi.Request> tries = requestsFor("/x/2/dm_conversations/with/3001969359/messages", null);
        List<PlatformApi.Request> refreshes = requestsFor("/x/2/oauth2/token", null);
        assertThat(tries.get(1).authorization()).isEqualTo("Bearer x-access-token-" + refreshes.size())
                .isNotEqualTo(tries.get(0).authorization());
        assertThat(refreshes.get(refreshes.size() - 1).body())
                .contains("refresh_token=x-refresh-token-" + (refreshes.size() - 1) + "&");
        assertThat(new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForObject(
                "SELECT refresh_token FROM platform_credential WHERE platform = 'x'", String.class))
                .isEqualTo("x-refresh-token-" + refreshes.size());
    }

    // ---- thank-yous and reply windows ----

    @Test
    void whatsappThanksIsTextInsideTheWindowATemplateAfterItAndAFollowUpReopensIt() throws Exception {
        String open = complaint("whatsapp", "8613800138010", "en", "Refund please, order 4411", "+8613800138010");
        PlatformApi.Request ack = requestFor("/graph/v21.0/106540352242922/messages", "8613800138010");
        assertThat(ack.authorization()).isEqualTo("Bearer wa-token-demo");
        assertThat(json(ack.body())).isEqualTo(tree(whatsapp("8613800138010", "text",
                Map.of("preview_url", false, "body", text(open, OutboundRequest.Kind.ACK)))));

        String late = complaint("whatsapp", "8613800138011", "zh", "退款一直没到账", "+8613800138011");
        requestFor("/graph/v21.0/106540352242922/messages", "8613800138011");
        String followed = complaint("whatsapp", "8613800138012", "en", "The repair man never came", "+8613800138012");
        requestFor("/graph/v21.0/106540352242922/messages", "8613800138012");

        CLOCK.advance(Duration.ofHours(20));
        followUp("whatsapp", "8613800138012", followed, "Any news? Still waiting.");
        CLOCK.advance(Duration.ofHours(10)); // 30 h after the complaints, 10 h after the follow-up

        resolve(open);
        PlatformApi.Request template = requestsFor("/graph/v21.0/106540352242922/messages", "8613800138010").size() == 2
                ? null : awaitNth("/graph/v21.0/106540352242922/messages", "8613800138010", 2);
        assertThat(json(template.body())).isEqualTo(tree(whatsapp("8613800138010", "template", Map.of(
                "name", "complaint_resolved", "language", Map.of("code", "en"),
                "components", List.of(Map.of("type", "body", "parameters", List.of(
                        Map.of("type", "text", "text", open),
                        Map.of("type", "text", "text", model(open, OutboundRequest.Kind.THANKS).get("satisfactionUrl")))))))));

        resolve(late);
        PlatformApi.Request zh = awaitNth("/graph/v21.0/106540352242922/messages", "8613800138011", 2);
        assertThat(json(zh.body()).at("/template/language/code").asText()).isEqualTo("zh_CN");

        resolve(followed);
        PlatformApi.Request text = awaitNth("/graph/v21.0/106540352242922/messages", "8613800138012", 2);
        assertThat(json(text.body())).as("the follow-up 10 h ago keeps the window open")
                .isEqualTo(tree(whatsapp("8613800138012", "text",
                        Map.of("preview_url", false, "body", text(followed, OutboundRequest.Kind.THANKS)))));
        assertThat(text(followed, OutboundRequest.Kind.THANKS)).contains(followed, "/satisfaction/");
    }

    @Test
    void wechatThanksAfter48HoursIsTheTemplateMessageWithItsDataFields() throws Exception {
        String id = complaint("wechat", "oWeChatLate00000000000000001", "zh", "热水器安装后漏水", null);
        requestFor("/wechat/cgi-bin/message/custom/send", "oWeChatLate00000000000000001");
        CLOCK.advance(Duration.ofHours(49));
        resolve(id, "已上门重新安装并赔偿 100 元");
        PlatformApi.Request t = requestFor("/wechat/cgi-bin/message/template/send", "oWeChatLate00000000000000001");
        assertThat(t.query()).matches("access_token=wx-access-token-\\d+");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("touser", "oWeChatLate00000000000000001");
        expected.put("template_id", "tmpl-resolved-demo");
        expected.put("url", model(id, OutboundRequest.Kind.THANKS).get("satisfactionUrl"));
        expected.put("data", Map.of("character_string1", Map.of("value", id), "thing2", Map.of("value", "已上门重新安装并赔偿 100 元")));
        assertThat(json(t.body())).isEqualTo(tree(expected));
        assertThat(requestsFor("/wechat/cgi-bin/message/custom/send", "oWeChatLate00000000000000001")).hasSize(1);
    }

    @Test
    void messengerAfter24HoursWithoutATagFallsBackToSmsOrIsRecordedAsNotSent() throws Exception {
        String withPhone = complaint("messenger", "6543210987650001", "zh", "订单4411少发了一件", "13800138020");
        requestFor("/graph/v21.0/112233445566778/messages", "6543210987650001");
        String without = complaint("messenger", "6543210987650002", "en", "Order 4412 is missing an item", null);
        requestFor("/graph/v21.0/112233445566778/messages", "6543210987650002");
        long deadBefore = depth("complaints.outbound.dead");

        CLOCK.advance(Duration.ofHours(25));
        resolve(withPhone);
        PlatformApi.Request sms = requestFor("/sms/v1/sms", "+8613800138020");
        assertThat(json(sms.body()).get("text").asText()).contains(withPhone, "/satisfaction/");

        resolve(without);
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("complaints.outbound.dead") == deadBefore + 1);
        jakarta.jms.Message dead = jms.receiveSelected("complaints.outbound.dead", "hubFailureReason LIKE '%messenger (24 h)%'");
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("hubFailureReason")).contains("reply window", "THANKS");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains(without).doesNotContain("6543210987650002");
        assertThat(requestsFor("/graph/v21.0/112233445566778/messages", "6543210987650002")).hasSize(1);
    }

    // ---- platform error answers ----

    @Test
    void aBlockedTelegramBotIsRefusedForGoodWithoutRetriesAndTheChatIsNotTriedAgain(CapturedOutput log) throws Exception {
        api.answerNext("/telegram/bot123456:ABC-demo/sendMessage",
                new Answer(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was blocked by the user\"}"));
        long deadBefore = depth("complaints.outbound.dead");
        String id = complaint("telegram", "987650001", "zh", "快递员态度恶劣", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("complaints.outbound.dead") == deadBefore + 1);
        jakarta.jms.Message dead = jms.receiveSelected("complaints.outbound.dead", "hubFailureReason LIKE '%blocked%'");
        assertThat(dead.getStringProperty("hubFailureReason")).contains("RecipientGone", "telegram", "HTTP 403");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains(id);
        assertThat(requestsFor("/telegram/bot123456:ABC-demo/sendMessage", "987650001")).as("not retried").hasSize(1);
        assertThat(ledger.undeliverable("telegram:987650001")).isTrue();

        // the same chat complains again, after its follow-up window (within it, the message would follow the first
        // complaint and ask for no acknowledgement): the hub does not write to a chat that blocked it
        CLOCK.advance(Duration.ofMinutes(31));
        String again = complaint("telegram", "987650001", "zh", "还是没人处理我的投诉", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> log.getAll().contains("complaint " + again + " not sent: undeliverable address"));
        assertThat(requestsFor("/telegram/bot123456:ABC-demo/sendMessage", "987650001")).hasSize(1);
        assertThat(log.getAll()).doesNotContain("123456:ABC-demo", "987650001");
    }

    @Test
    void aWechatCustomerWhoUnfollowedIsMarkedUndeliverable() throws Exception {
        api.answerNext("/wechat/cgi-bin/message/custom/send", new Answer(200, "{\"errcode\":43004,\"errmsg\":\"require subscribe\"}"));
        long deadBefore = depth("complaints.outbound.dead");
        complaint("wechat", "oUnfollowed43004", "zh", "退款一直没到账", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("complaints.outbound.dead") == deadBefore + 1);
        jakarta.jms.Message dead = jms.receiveSelected("complaints.outbound.dead", "hubFailureReason LIKE '%43004%'");
        assertThat(dead.getStringProperty("hubFailureReason")).contains("RecipientGone", "require subscribe");
        assertThat(ledger.undeliverable("wechat:oUnfollowed43004")).isTrue();
        assertThat(ledger.undeliverable("wechat:oSomebodyElse")).isFalse();
    }

    @Test
    void slackOkFalseIsAFailureTemporaryOnesAreRetried() throws Exception {
        api.answerNext("/slack/api/chat.postMessage", new Answer(200, "{\"ok\":false,\"error\":\"ratelimited\"}"),
                new Answer(503, ""));
        String busy = complaint("slack", "U0BUSY0001", "en", "The invoice is wrong again", null);
        List<PlatformApi.Request> tries = await().atMost(Duration.ofSeconds(20)).until(
                () -> requestsFor("/slack/api/chat.postMessage", "U0BUSY0001"), l -> l.size() == 3);
        assertThat(json(tries.get(2).body()).get("text").asText()).isEqualTo(text(busy, OutboundRequest.Kind.ACK));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.alreadySent(busy, "ACK"));

        api.answerNext("/slack/api/chat.postMessage", new Answer(200, "{\"ok\":false,\"error\":\"channel_not_found\"}"));
        long deadBefore = depth("complaints.outbound.dead");
        complaint("slack", "U0GONE0001", "en", "The invoice is wrong once more", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("complaints.outbound.dead") == deadBefore + 1);
        assertThat(jms.receiveSelected("complaints.outbound.dead", "hubFailureReason LIKE '%channel_not_found%'")).isNotNull();
        assertThat(requestsFor("/slack/api/chat.postMessage", "U0GONE0001")).hasSize(1);
    }

    @Test
    void aWhatsappOutsideWindowErrorIsNotRetried() throws Exception {
        api.answerNext("/graph/v21.0/106540352242922/messages", new Answer(400, "{\"error\":{\"message\":\"(#131047) "
                + "Re-engagement message\",\"type\":\"OAuthException\",\"code\":131047,\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}"));
        long deadBefore = depth("complaints.outbound.dead");
        complaint("whatsapp", "8613800138030", "zh", "维修师傅一直没来", "+8613800138030");
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("complaints.outbound.dead") == deadBefore + 1);
        assertThat(jms.receiveSelected("complaints.outbound.dead", "hubFailureReason LIKE '%131047%'")).isNotNull();
        assertThat(requestsFor("/graph/v21.0/106540352242922/messages", "8613800138030")).hasSize(1);
    }

    // ---- helpers ----

    /** Puts a complaint of a social channel through the core, as that channel's route would after its mapping. */
    private String complaint(String channel, String handle, String language, String text, String phone) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("handle", handle);
        customer.put("language", language);
        if (phone != null) {
            customer.put("phone", phone);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sourceId", channel + "-msg-" + handle + "-" + System.nanoTime());
        record.put("customer", customer);
        record.put("description", text);
        Complaint c = producer.requestBodyAndHeader("direct:test-social-record",
                RecordJson.MAPPER.convertValue(record, Complaint.class), "channel", channel, Complaint.class);
        return c.getId();
    }

    private void followUp(String channel, String handle, String of, String text) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("sourceId", channel + "-msg-" + handle + "-" + System.nanoTime());
        record.put("customer", Map.of("handle", handle, "language", "en"));
        record.put("description", text);
        record.put("threadOf", of);
        producer.requestBodyAndHeader("direct:test-social-record",
                RecordJson.MAPPER.convertValue(record, Complaint.class), "channel", channel, Complaint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.find(of).orElseThrow().lastMessage()
                .isAfter(ledger.find(of).orElseThrow().receivedAt()));
    }

    private void resolve(String id) {
        resolve(id, null);
    }

    private void resolve(String id, String resolution) {
        String event = resolution == null ? "{\"id\": \"" + id + "\", \"status\": \"RESOLVED\"}"
                : "{\"id\": \"" + id + "\", \"status\": \"RESOLVED\", \"resolution\": \"" + resolution + "\"}";
        jms.send("complaints.status", s -> s.createTextMessage(event));
    }

    /** The message variables and the chat text the hub renders for this complaint now (the test clock stands still). */
    private Map<String, Object> model(String id, OutboundRequest.Kind kind) {
        return sender.model(new OutboundRequest(id, kind), ledger.find(id).orElseThrow());
    }

    private String text(String id, OutboundRequest.Kind kind) {
        Contact c = ledger.find(id).orElseThrow();
        return templates.render(kind, "chat", c.language(), model(id, kind));
    }

    private static Map<String, Object> whatsapp(String to, String type, Map<String, Object> content) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", to);
        body.put("type", type);
        body.put(type, content);
        return body;
    }

    /** The JSON as it would be read off the wire (so 123456789L and 123456789 compare equal). */
    private static JsonNode tree(Object value) throws Exception {
        return RecordJson.MAPPER.readTree(RecordJson.MAPPER.writeValueAsString(value));
    }

    private int fetches() {
        return (int) api.received().stream().filter(r -> r.path().equals("/wechat/cgi-bin/stable_token")).count();
    }

    private List<PlatformApi.Request> requestsFor(String path, String mentioning) {
        return api.received().stream().filter(r -> r.path().equals(path))
                .filter(r -> mentioning == null || r.body().contains(mentioning)).toList();
    }

    private PlatformApi.Request requestFor(String path, String mentioning) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> requestsFor(path, mentioning), l -> !l.isEmpty()).get(0);
    }

    private PlatformApi.Request awaitNth(String path, String mentioning, int n) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> requestsFor(path, mentioning), l -> l.size() >= n).get(n - 1);
    }
}
