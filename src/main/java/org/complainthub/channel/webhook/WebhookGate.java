package org.complainthub.channel.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.complainthub.HubExchange;
import org.complainthub.complaint.RecordJson;
import org.complainthub.intake.SubmissionRejected;
import org.complainthub.web.JsonBodies;
import org.springframework.stereotype.Component;

/**
 * The door of every webhook: reads the body bounded (413 before anything hashes or parses it), answers the platform's
 * verification handshake, and checks the request's signature or token on the raw bytes in constant time, as the
 * platform's scheme says (hub.webhooks.<platform>.scheme): an HMAC described by settings ({@link HmacScheme}: hmac,
 * and Meta, X and Slack with their fixed settings), Telegram's secret token, or WeChat's sorted SHA-1 and safe mode.
 * What passes is left as exchange properties for {@link WebhookMessages}: the raw body ({@link HubExchange#WEBHOOK_BODY}) and, for WeChat
 * safe mode, the decrypted message ({@link HubExchange#WEBHOOK_PLAIN}). Missing credentials are 401, wrong ones 403, a stale timestamp
 * 401, a form platform's body of another type 415; nothing rejected here reaches a queue.
 */
@Component
public class WebhookGate {

    static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    /**
     * What an X CRC token looks like: X sends a UUID (CHANNEL_FORMATS.md A2.1); older tokens were base64. The CRC
     * answer is an HMAC with the consumer secret, the very key that signs every POST: answered for any text, it would
     * sign a whole DM body for whoever asks. A token of this shape can never be a JSON body, so no CRC answer is ever
     * the signature of a POST the hub would take.
     */
    static final java.util.regex.Pattern X_CRC_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/=-]{1,128}");

    private final WebhookSettings settings;
    private final Clock clock;
    private final WechatNonces nonces;
    private final Map<String, WechatCrypto> wechatKeys = new ConcurrentHashMap<>();

    public WebhookGate(WebhookSettings settings, Clock clock, WechatNonces nonces) {
        this.settings = settings;
        this.clock = clock;
        this.nonces = nonces;
    }

    /**
     * Handshake (then {@link HubExchange#WEBHOOK_ANSWERED} is true and the message is the answer) or a verified request. The platform's
     * scheme (hub.webhooks.<platform>.scheme) says how.
     */
    public void open(Exchange exchange, String platform) {
        String scheme = settings.scheme(platform);
        Message m = exchange.getMessage();
        String method = m.getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        Map<String, String> query = query(m.getHeader(Exchange.HTTP_QUERY, String.class));
        if ("GET".equals(method)) {
            handshake(exchange, platform, scheme, query);
            exchange.setProperty(HubExchange.WEBHOOK_ANSWERED, true);
            return;
        }
        byte[] body = JsonBodies.bounded(exchange, settings.integer(platform, "max-bytes", DEFAULT_MAX_BYTES));
        exchange.setProperty(HubExchange.WEBHOOK_BODY, body);
        switch (scheme) {
            case "meta", "x", "hmac" -> hmac(m, platform, body);
            case "telegram" -> require(WebhookSignatures.equal(settings.get(platform, "secret-token"),
                    signature(m, "X-Telegram-Bot-Api-Secret-Token")), "X-Telegram-Bot-Api-Secret-Token");
            case "slack" -> slack(exchange, platform, body);
            case "wechat" -> wechat(exchange, platform, query, body);
            default -> throw new IllegalStateException("unknown webhook scheme " + scheme);
        }
        if ("form".equals(settings.format(platform))) {
            formOnly(m);
        }
    }

    /** 200 to the platform once every message of the request is durable (WeChat wants the word "success"). */
    public void received(Exchange exchange, String platform) {
        answer(exchange.getMessage(), 200, "text/plain; charset=utf-8", "wechat".equals(settings.scheme(platform)) ? "success" : "ok");
    }

    /**
     * The signature of an HMAC-signed webhook ({@link HmacScheme}): 401 when its header (or the signed timestamp, or a
     * signed header) is missing or sent twice, 401 when the timestamp is outside the window, 403 when it does not match.
     */
    /** The suffix of a secret's key that names the secret it replaces, while both are valid (a rotation). */
    static final String PREVIOUS = "-previous";

    private void hmac(Message m, String platform, byte[] body) {
        HmacScheme scheme = settings.hmac(platform);
        String given = signature(m, scheme.header());
        String timestamp = "";
        if (!scheme.timestampHeader().isEmpty()) {
            timestamp = present(m, scheme.timestampHeader());
            if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
                throw SubmissionRejected.of(401, scheme.timestampHeader(), "unauthorized",
                        scheme.timestampHeader() + " is required: the time of the request in epoch seconds");
            }
            fresh(platform, timestamp);
        }
        Map<String, String> signedHeaders = new HashMap<>();
        for (String name : scheme.signedHeaders()) {
            signedHeaders.put(name, signature(m, name));
        }
        String expected = scheme.expected(settings.get(platform, scheme.secretKey()), body, timestamp, signedHeaders::get);
        // while a secret is rotated, the one it replaces (<secret key>-previous) is taken too, until it is removed
        String previous = settings.get(platform, scheme.secretKey() + PREVIOUS);
        require(scheme.matches(expected, given) || !previous.isEmpty()
                && scheme.matches(scheme.expected(previous, body, timestamp, signedHeaders::get), given), scheme.header());
    }

    /** A platform whose body is a form: a body of another type would be read as a form of nonsense, so 415. */
    private static void formOnly(Message m) {
        String type = m.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(java.util.Locale.ROOT);
        if (!type.strip().startsWith("application/x-www-form-urlencoded")) {
            throw SubmissionRejected.of(415, "", "unsupported_type", "send application/x-www-form-urlencoded");
        }
    }

    private void handshake(Exchange exchange, String platform, String scheme, Map<String, String> q) {
        Message m = exchange.getMessage();
        switch (scheme) {
            case "meta" -> {
                String challenge = q.get("hub.challenge");
                if (!"subscribe".equals(q.get("hub.mode")) || challenge == null
                        || !WebhookSignatures.equal(settings.get(platform, "verify-token"), q.get("hub.verify_token"))) {
                    throw SubmissionRejected.of(403, "hub.verify_token", "forbidden", "not a subscription with our verify token");
                }
                answer(m, 200, "text/plain; charset=utf-8", challenge);
            }
            case "wechat" -> {
                fresh(platform, q.get("timestamp"));
                String expected = WebhookSignatures.wechat(settings.get(platform, "token"), q.getOrDefault("timestamp", ""),
                        q.getOrDefault("nonce", ""));
                if (q.get("echostr") == null || !WebhookSignatures.equal(expected, q.get("signature"))) {
                    throw SubmissionRejected.of(403, "signature", "forbidden", "the signature does not match");
                }
                // the handshake's signature is the one a plain-mode POST carries: its URL must not admit a body later
                unused(exchange, platform, q);
                answer(m, 200, "text/plain; charset=utf-8", q.get("echostr"));
            }
            case "x" -> {
                String token = q.get("crc_token");
                if (token == null || token.isEmpty()) {
                    throw SubmissionRejected.of(400, "crc_token", "required", "a CRC request needs crc_token");
                }
                if (!X_CRC_TOKEN.matcher(token).matches()) {
                    throw SubmissionRejected.of(400, "crc_token", "invalid", "not a CRC token: at most 128 letters, digits and ._~+/=-");
                }
                String response = WebhookSignatures.xToken(settings.get(platform, "consumer-secret"),
                        token.getBytes(StandardCharsets.UTF_8));
                answer(m, 200, "application/json", RecordJson.write(Map.of("response_token", response)));
            }
            default -> throw SubmissionRejected.of(405, "", "method_not_allowed", "this webhook takes POST only");
        }
    }

    private void slack(Exchange exchange, String platform, byte[] body) {
        Message m = exchange.getMessage();
        hmac(m, platform, body);
        // Slack's handshake is a signed POST like any other: answered once its signature is checked
        if (body.length < 1024 && new String(body, StandardCharsets.UTF_8).contains("url_verification")) {
            Map<String, Object> json = JsonBodies.object(body);
            if ("url_verification".equals(json.get("type")) && json.get("challenge") instanceof String challenge) {
                answer(m, 200, "text/plain; charset=utf-8", challenge);
                exchange.setProperty(HubExchange.WEBHOOK_ANSWERED, true);
            }
        }
    }

    /**
     * Plain mode signs only the query (token, timestamp, nonce), never the body: allowed only when the operator says
     * so. Safe mode: msg_signature covers the ciphertext, checked before it is decrypted; the AppId inside must be ours.
     */
    private void wechat(Exchange exchange, String platform, Map<String, String> q, byte[] body) {
        fresh(platform, q.get("timestamp"));
        String token = settings.get(platform, "token");
        String timestamp = q.getOrDefault("timestamp", "");
        String nonce = q.getOrDefault("nonce", "");
        if ("aes".equals(q.get("encrypt_type"))) {
            if (settings.get(platform, "encoding-aes-key").isEmpty()) {
                throw SubmissionRejected.of(403, "encrypt_type", "forbidden", "safe mode is not set up (no EncodingAESKey)");
            }
            String msgSignature = q.get("msg_signature");
            if (msgSignature == null) {
                throw SubmissionRejected.of(401, "msg_signature", "unauthorized", "msg_signature is required in safe mode");
            }
            String encrypt = parse(body).get("Encrypt");
            if (encrypt == null) {
                throw SubmissionRejected.of(400, "Encrypt", "required", "a safe-mode message has an Encrypt element");
            }
            require(WebhookSignatures.equal(WebhookSignatures.wechat(token, timestamp, nonce, encrypt), msgSignature), "msg_signature");
            unused(exchange, platform, q);
            try {
                exchange.setProperty(HubExchange.WEBHOOK_PLAIN, crypto(platform).decrypt(encrypt).getBytes(StandardCharsets.UTF_8));
            } catch (WechatCrypto.Refused e) {
                throw SubmissionRejected.of(403, "Encrypt", "forbidden", "not a message for this account: " + e.getMessage());
            }
            return;
        }
        if (!settings.bool(platform, "allow-plain")) {
            throw SubmissionRejected.of(403, "encrypt_type", "forbidden", "only safe-mode (encrypted) messages are taken");
        }
        String signature = q.get("signature");
        if (signature == null) {
            throw SubmissionRejected.of(401, "signature", "unauthorized", "signature is required");
        }
        require(WebhookSignatures.equal(WebhookSignatures.wechat(token, timestamp, nonce), signature), "signature");
        unused(exchange, platform, q);
        exchange.setProperty(HubExchange.WEBHOOK_PLAIN, body);
    }

    /**
     * A signed WeChat request's (timestamp, nonce) is taken once: a replay is refused (401, like a stale timestamp),
     * in safe mode too. A request the hub then fails to take (5xx: broker or database away) gives its pair back, so
     * WeChat's retry of it is not refused as a replay.
     */
    private void unused(Exchange exchange, String platform, Map<String, String> q) {
        String timestamp = q.getOrDefault("timestamp", "");
        String nonce = q.getOrDefault("nonce", "");
        if (!nonces.firstUse(platform, timestamp, nonce)) {
            throw SubmissionRejected.of(401, "nonce", "replayed", "this timestamp and nonce were used before");
        }
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                if (done.isFailed() || status == null || status >= 500) {
                    nonces.forget(platform, timestamp, nonce);
                }
            }
        });
    }

    static Map<String, String> parse(byte[] xml) {
        try {
            return SafeXml.flat(xml);
        } catch (IllegalArgumentException e) {
            throw SubmissionRejected.of(400, "", "invalid", e.getMessage());
        }
    }

    private WechatCrypto crypto(String platform) {
        return wechatKeys.computeIfAbsent(settings.get(platform, "encoding-aes-key") + "|" + settings.get(platform, "app-id"), k -> {
            try {
                return new WechatCrypto(settings.get(platform, "encoding-aes-key"), settings.get(platform, "app-id"));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("channel-config/" + platform + "/channel.properties: hub.webhooks." + platform
                        + ".encoding-aes-key: " + e.getMessage());
            }
        });
    }

    /** A signed timestamp (Slack) or an unsigned one (WeChat) outside the window is refused as a possible replay. */
    private void fresh(String platform, String timestamp) {
        long window = settings.integer(platform, "timestamp-window-seconds", 300);
        if (window <= 0) {
            return;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp == null ? "" : timestamp);
        } catch (NumberFormatException e) {
            throw SubmissionRejected.of(401, "timestamp", "unauthorized", "the request carries no valid timestamp");
        }
        if (Math.abs(clock.instant().getEpochSecond() - ts) > window) {
            throw SubmissionRejected.of(401, "timestamp", "stale", "the timestamp is outside the " + window + " s window");
        }
    }

    /** A header sent exactly once; a duplicated signature header is as good as none. */
    private static String present(Message m, String name) {
        Object v = m.getHeader(name);
        if (v instanceof java.util.Collection<?> many) {
            return many.size() == 1 ? String.valueOf(many.iterator().next()) : null;
        }
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    /** The signature or token header; 401 when it is missing (or sent twice). */
    private static String signature(Message m, String name) {
        String v = present(m, name);
        if (v == null) {
            throw SubmissionRejected.of(401, name, "unauthorized", name + " is required");
        }
        return v;
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw SubmissionRejected.of(403, what, "forbidden", "missing or wrong " + what);
        }
    }

    /** The query string as the platform sent it, decoded once; a parameter sent twice counts as its first value. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    static void answer(Message m, int status, String contentType, String body) {
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setBody(body);
    }
}
