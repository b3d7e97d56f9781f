package org.complainthub.channel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The platforms' signature primitives (CHANNEL_FORMATS.md part A), each computed over the raw bytes as received and
 * compared in constant time; Meta's, X's and Slack's are {@link HmacScheme}s with fixed settings. A header in any
 * other form than the platform's own (no prefix, sha1 instead of sha256, unpadded or URL-safe base64) does not match:
 * the expected value is built and compared byte for byte.
 */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** Meta X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256(app secret, body); upper-case hex is accepted too. */
    public static boolean meta(String secret, byte[] body, String header) {
        HmacScheme meta = HmacScheme.builtIn("meta");
        return meta.matches(meta.expected(secret, body, "", name -> ""), header);
    }

    /** X x-twitter-webhooks-signature: "sha256=" + standard padded base64 HMAC-SHA256(consumer secret, body). */
    public static boolean x(String consumerSecret, byte[] body, String header) {
        return HmacScheme.builtIn("x").matches(xToken(consumerSecret, body), header);
    }

    /** The CRC answer's response_token, and the form of the POST signature. */
    public static String xToken(String consumerSecret, byte[] message) {
        return HmacScheme.builtIn("x").expected(consumerSecret, message, "", name -> "");
    }

    /** Slack X-Slack-Signature: "v0=" + hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body). */
    public static boolean slack(String signingSecret, String timestamp, byte[] body, String header) {
        if (header == null || timestamp == null) {
            return false;
        }
        HmacScheme slack = HmacScheme.builtIn("slack");
        return slack.matches(slack.expected(signingSecret, body, timestamp, name -> ""), header);
    }

    /** WeChat signature and msg_signature: sha1 hex of the strings sorted in dictionary order, joined. */
    public static String wechat(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant time, on the bytes: a shared secret or a signature a caller sent. */
    public static boolean equal(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmacSha256(String secret, byte[] message) {
        return HmacScheme.mac("HmacSHA256", secret, message);
    }
}
