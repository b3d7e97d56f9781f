package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.FileReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.complainthub.intake.SubmissionRejected;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The webhook door without a hub: the WeChat settings as shipped (channel-config/wechat/channel.properties), its
 * nonce memory, and which X CRC tokens are answered.
 */
class WebhookGateTest {

    static final long TS = 1718000601;
    static final Clock AT_TS = Clock.fixed(Instant.ofEpochSecond(TS), ZoneOffset.UTC);

    static MockEnvironment shippedWechat() throws Exception {
        Properties shipped = new Properties();
        try (FileReader in = new FileReader("channel-config/wechat/channel.properties", StandardCharsets.UTF_8)) {
            shipped.load(in);
        }
        MockEnvironment env = new MockEnvironment();
        shipped.forEach((k, v) -> env.setProperty((String) k, (String) v));
        return env.withProperty("hub.webhooks.wechat.enabled", "true")
                .withProperty("hub.webhooks.wechat.token", "intakeToken2024")
                .withProperty("hub.webhooks.wechat.encoding-aes-key", WebhookSignaturesTest.OWN_AES_KEY)
                .withProperty("hub.webhooks.wechat.app-id", WebhookSignaturesTest.OWN_APP_ID)
                .withProperty("hub.webhooks.x.consumer-secret", "x-consumer-secret-demo");
    }

    static WebhookGate gate(MockEnvironment env) {
        WebhookSettings settings = new WebhookSettings(env);
        settings.check();
        return new WebhookGate(settings, AT_TS, new WechatNonces(300, 1000));
    }

    static Exchange request(String method, String query, String body) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader(Exchange.HTTP_METHOD, method);
        e.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        e.getMessage().setBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    static String plainQuery(String nonce) {
        return "signature=" + WebhookSignatures.wechat("intakeToken2024", String.valueOf(TS), nonce) + "&timestamp=" + TS + "&nonce=" + nonce;
    }

    static SubmissionRejected refusal(WebhookGate gate, Exchange e, String platform) {
        return catchThrowableOfType(SubmissionRejected.class, () -> gate.open(e, platform));
    }

    @Test
    void plainModeIsRefusedAsShippedAndTakenOnlyWhenAllowed() throws Exception {
        SubmissionRejected refused = refusal(gate(shippedWechat()), request("POST", plainQuery("100"), WebhookSignaturesTest.PLAIN_XML), "wechat");
        assertThat(refused).as("a correctly signed plain-mode POST with the shipped settings").isNotNull();
        assertThat(refused.status()).isEqualTo(403);

        WebhookGate allowing = gate(shippedWechat().withProperty("hub.webhooks.wechat.allow-plain", "true"));
        assertThatCode(() -> allowing.open(request("POST", plainQuery("101"), WebhookSignaturesTest.PLAIN_XML), "wechat"))
                .doesNotThrowAnyException();
    }

    @Test
    void aTimestampAndNonceAreTakenOnceInPlainModeSafeModeAndTheHandshake() throws Exception {
        WebhookGate gate = gate(shippedWechat().withProperty("hub.webhooks.wechat.allow-plain", "true"));
        gate.open(request("POST", plainQuery("200"), WebhookSignaturesTest.PLAIN_XML), "wechat");
        String other = WebhookSignaturesTest.PLAIN_XML.replace("我的快递破损了", "随便什么内容");
        SubmissionRejected replayed = refusal(gate, request("POST", plainQuery("200"), other), "wechat");
        assertThat(replayed).as("the same signed URL with another body").isNotNull();
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.errors().get(0).code()).isEqualTo("replayed");

        String safe = "?timestamp=" + TS + "&nonce=201&encrypt_type=aes&msg_signature="
                + WebhookSignatures.wechat("intakeToken2024", String.valueOf(TS), "201", WebhookSignaturesTest.OWN_ENCRYPT);
        String safeBody = SocialWebhooksTest.safeBody(WebhookSignaturesTest.OWN_ENCRYPT);
        gate.open(request("POST", safe.substring(1), safeBody), "wechat");
        assertThat(refusal(gate, request("POST", safe.substring(1), safeBody), "wechat").status()).isEqualTo(401);

        // the handshake's URL carries the signature a plain-mode POST carries: used once, it admits no body after it
        Exchange handshake = request("GET", plainQuery("202") + "&echostr=5838479218127813673", "");
        gate.open(handshake, "wechat");
        assertThat(handshake.getMessage().getBody(String.class)).isEqualTo("5838479218127813673");
        assertThat(refusal(gate, request("POST", plainQuery("202"), WebhookSignaturesTest.PLAIN_XML), "wechat").status()).isEqualTo(401);

        // a forged request remembers nothing: the real one with that nonce still passes
        String forged = "signature=" + "0".repeat(40) + "&timestamp=" + TS + "&nonce=203";
        assertThat(refusal(gate, request("POST", forged, WebhookSignaturesTest.PLAIN_XML), "wechat").status()).isEqualTo(403);
        assertThatCode(() -> gate.open(request("POST", plainQuery("203"), WebhookSignaturesTest.PLAIN_XML), "wechat"))
                .doesNotThrowAnyException();
    }

    @Test
    void xCrcIsAnsweredOnlyForTokensShapedLikeXs() throws Exception {
        WebhookGate gate = gate(shippedWechat());
        Exchange uuid = request("GET", "crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553", "");
        gate.open(uuid, "x");
        assertThat(uuid.getMessage().getBody(String.class)).contains("sha256=G7VtkghrqVUbm/fIy8+ezVyBpIS/EdAJHZoQdCmlFpI=");
        String dm = java.net.URLEncoder.encode(WebhookSignaturesTest.X_DM, StandardCharsets.UTF_8);
        for (String token : new String[] {dm, "a%20b", "%7B%7D", "x".repeat(129), "line%0Abreak"}) {
            Exchange e = request("GET", "crc_token=" + token, "");
            SubmissionRejected refused = refusal(gate, e, "x");
            assertThat(refused).as("crc_token " + token).isNotNull();
            assertThat(refused.status()).isEqualTo(400);
            assertThat(e.getMessage().getBody(String.class)).as("no response_token").doesNotContain("sha256=");
        }
    }
}
