package org.complainthub.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * HMAC signatures as settings, against values computed with openssl (made-up secrets), e.g.
 * {@code printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'line-channel-secret-demo' -binary | base64}.
 */
class HmacSchemeTest {

    static final String LINE_BODY = "{\"destination\":\"U4af4980629aaaaaaaaaaaaaaaaaaaaaa\",\"events\":[{\"type\":\"message\",\"message\":"
            + "{\"type\":\"text\",\"id\":\"468789577898262530\",\"text\":\"My order 4411 arrived broken\"},\"timestamp\":1692251666727,"
            + "\"source\":{\"type\":\"user\",\"userId\":\"U91eeaf62d901234567890123456789ab\"},\"replyToken\":\"38ef843bde154d9b91c21320ffd17a0f\","
            + "\"mode\":\"active\"}]}";
    static final String SMS_FORM = "from=%2B8613800138000&to=%2B8610690000&text=parcel+broken&message_id=SM9f3c2a71&timestamp=1718000000";

    static HmacScheme scheme(String platform, String... settings) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < settings.length; i += 2) {
            env.setProperty("hub.webhooks." + platform + "." + settings[i], settings[i + 1]);
        }
        WebhookSettings s = new WebhookSettings(env);
        return s.hmac(platform);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lineAsShippedIsBase64OfTheBody() {
        HmacScheme line = scheme("line", "scheme", "hmac", "signature.header", "X-Line-Signature", "signature.encoding", "base64");
        assertThat(utf8(LINE_BODY)).hasSize(331);
        String expected = line.expected("line-channel-secret-demo", utf8(LINE_BODY), "", h -> null);
        assertThat(expected).isEqualTo("SpMhLk0LGtP40SrqHpAolbFd/eOeNB5dnBNI02BO/BY=");
        assertThat(line.matches(expected, "SpMhLk0LGtP40SrqHpAolbFd/eOeNB5dnBNI02BO/BY=")).isTrue();
        assertThat(line.matches(expected, "SpMhLk0LGtP40SrqHpAolbFd/eOeNB5dnBNI02BO/BY")).as("unpadded").isFalse();
        assertThat(line.matches(expected, "SpMhLk0LGtP40SrqHpAolbFd_eOeNB5dnBNI02BO_BY=")).as("URL-safe").isFalse();
        assertThat(line.matches(expected, "spmhlk0lgtp40srqhpaolbfd/eoenb5dnbni02bo/by=")).as("base64 is exact").isFalse();
        assertThat(line.matches(expected, null)).isFalse();
    }

    @Test
    void smsAsShippedIsHexOfTimestampDotBody() {
        HmacScheme sms = scheme("sms", "scheme", "hmac", "signature.header", "X-Signature", "signature.signed", "{timestamp}.{body}",
                "signature.timestamp-header", "X-Timestamp");
        String expected = sms.expected("sms-gateway-secret-demo", utf8(SMS_FORM), "1718000000", h -> null);
        assertThat(expected).isEqualTo("6bda85460f5ca9b097f892428ebea37ee5a4a962fd9bb939801241c6a63e3072");
        assertThat(sms.matches(expected, expected.toUpperCase())).as("hex in either case").isTrue();
        assertThat(sms.expected("sms-gateway-secret-demo", utf8(SMS_FORM), "1718000001", h -> null)).isNotEqualTo(expected);
    }

    @Test
    void algorithmPrefixTemplateAndSignedHeaders() {
        HmacScheme sha512 = scheme("acme", "scheme", "hmac", "signature.header", "X-Acme-Signature", "signature.algorithm", "HmacSHA512",
                "signature.signed", "v1:{timestamp}:{body}", "signature.prefix", "v1=", "signature.timestamp-header", "X-Acme-Timestamp");
        assertThat(sha512.expected("k", utf8(SMS_FORM), "1718000000", h -> null)).isEqualTo("v1=c72dd7b0c0731b46d720274a09e211fce732d192"
                + "f4c7b907d74faae1c8fdf0c16e6175d1e564f3786855dc6f69449f9374a312b7ca013386623011d507d3b39c");
        HmacScheme sha1 = scheme("old", "scheme", "hmac", "signature.header", "X-Sig", "signature.algorithm", "HmacSHA1",
                "signature.encoding", "base64");
        assertThat(sha1.expected("k", utf8(SMS_FORM), "", h -> null)).isEqualTo("zK9H3rAZhVUe0fvT92lw50u4Ij0=");
        HmacScheme withNonce = scheme("n", "scheme", "hmac", "signature.header", "X-Sig", "signature.signed", "{header:X-Nonce}|{body}");
        assertThat(withNonce.signedHeaders()).containsExactly("X-Nonce");
        assertThat(withNonce.expected("k", utf8("b"), "", Map.of("X-Nonce", "n1")::get))
                .isEqualTo(java.util.HexFormat.of().formatHex(HmacScheme.mac("HmacSHA256", "k", utf8("n1|b"))));
    }

    @Test
    void metaXAndSlackAreHmacSchemesWithTheirOwnSettings() {
        assertThat(scheme("meta", "scheme", "meta")).isEqualTo(HmacScheme.builtIn("meta"));
        assertThat(HmacScheme.builtIn("meta").header()).isEqualTo("X-Hub-Signature-256");
        assertThat(HmacScheme.builtIn("x").encoding()).isEqualTo("base64");
        assertThat(HmacScheme.builtIn("slack").signed()).isEqualTo("v0:{timestamp}:{body}");
        // Meta's worked example (CHANNEL_FORMATS.md A1.5) through the same verifier
        HmacScheme meta = HmacScheme.builtIn("meta");
        assertThat(meta.expected("meta-app-secret-demo", utf8(SocialWebhooksTest.META_PAGE), "", h -> null))
                .isEqualTo("sha256=a862b85975095a87f15402fd8c7462585fb7f54baf8a32b241dc1d9b8b36e620");
    }

    @Test
    void settingsThatCannotWorkAreNamed() {
        List<String> found = new ArrayList<>();
        scheme("bad", "scheme", "hmac", "signature.algorithm", "HmacMD5", "signature.encoding", "base32",
                "signature.signed", "{timestamp}:{payload}", "signature.header", "X Sig")
                .problems((key, what) -> found.add(key + ": " + what));
        assertThat(found).anyMatch(p -> p.startsWith("signature.algorithm: \"HmacMD5\""))
                .anyMatch(p -> p.startsWith("signature.encoding: \"base32\""))
                .anyMatch(p -> p.startsWith("signature.signed: {payload} is unknown"))
                .anyMatch(p -> p.startsWith("signature.signed: ") && p.contains("does not sign the {body}"))
                .anyMatch(p -> p.startsWith("signature.timestamp-header: missing"))
                .anyMatch(p -> p.startsWith("signature.header: \"X Sig\" is no header name"));
        found.clear();
        scheme("unsigned-ts", "scheme", "hmac", "signature.header", "X-Sig", "signature.timestamp-header", "X-Ts")
                .problems((key, what) -> found.add(key + ": " + what));
        assertThat(found).singleElement().asString().contains("does not sign the {timestamp} of X-Ts");
        found.clear();
        scheme("none", "scheme", "hmac").problems((key, what) -> found.add(key + ": " + what));
        assertThat(found).singleElement().asString().startsWith("signature.header: missing");
    }
}
