package org.complainthub.channel.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook signed with an HMAC, as its settings describe it (hub.webhooks.<platform>.signature.*): which header
 * carries the signature, the algorithm, what is signed (the raw body, or a template such as
 * {@code v0:{timestamp}:{body}}), hex or base64, a prefix such as {@code sha256=}, and the header of a signed
 * timestamp. Meta, X and Slack are such webhooks with fixed settings (their secret keeps its old key); scheme
 * {@code hmac} is any other platform. The expected header value is built from the raw bytes and compared with the one
 * sent in constant time: hex in either case, base64 exactly as the standard padded alphabet writes it.
 *
 * @param secretKey       the key of the secret in the platform's settings (signature.secret for scheme hmac)
 * @param header          the request header that carries the signature
 * @param algorithm       HmacSHA256, HmacSHA1 or HmacSHA512
 * @param signed          what is signed: a template of literal text, {body}, {timestamp} and {header:Name}
 * @param encoding        hex or base64
 * @param prefix          written before the encoded MAC, e.g. sha256=
 * @param timestampHeader the header of the timestamp (epoch seconds) that {timestamp} stands for; empty: none
 */
public record HmacScheme(String secretKey, String header, String algorithm, String signed, String encoding, String prefix,
                         String timestampHeader) {

    static final Set<String> ALGORITHMS = Set.of("HmacSHA256", "HmacSHA1", "HmacSHA512");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

    /** The fixed settings of the platforms the hub knew before signatures were settings. */
    private static final Map<String, HmacScheme> BUILT_IN = Map.of(
            "meta", new HmacScheme("app-secret", "X-Hub-Signature-256", "HmacSHA256", "{body}", "hex", "sha256=", ""),
            "x", new HmacScheme("consumer-secret", "x-twitter-webhooks-signature", "HmacSHA256", "{body}", "base64", "sha256=", ""),
            "slack", new HmacScheme("signing-secret", "X-Slack-Signature", "HmacSHA256", "v0:{timestamp}:{body}", "hex", "v0=",
                    "X-Slack-Request-Timestamp"));
    private static final HmacScheme DEFAULTS = new HmacScheme("signature.secret", "", "HmacSHA256", "{body}", "hex", "", "");

    /** The fixed settings of meta, x or slack. */
    static HmacScheme builtIn(String scheme) {
        return BUILT_IN.get(scheme);
    }

    /** Whether requests of this scheme carry an HMAC signature these settings describe. */
    static boolean signs(String scheme) {
        return scheme.equals("hmac") || BUILT_IN.containsKey(scheme);
    }

    /** The scheme's fixed settings (meta, x, slack) or the defaults (hmac), each overridden by signature.<key>. */
    static HmacScheme of(WebhookSettings settings, String platform, String scheme) {
        HmacScheme base = BUILT_IN.getOrDefault(scheme, DEFAULTS);
        Function<String, String> set = key -> settings.get(platform, "signature." + key);
        return new HmacScheme(base.secretKey,
                or(set.apply("header"), base.header), or(set.apply("algorithm"), base.algorithm),
                or(set.apply("signed"), base.signed), or(set.apply("encoding"), base.encoding),
                or(set.apply("prefix"), base.prefix), or(set.apply("timestamp-header"), base.timestampHeader));
    }

    private static String or(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    /** What is wrong with these settings: (key under hub.webhooks.<platform>, what). */
    void problems(BiConsumer<String, String> report) {
        if (header.isEmpty()) {
            report.accept("signature.header", "missing: the request header that carries the signature, e.g. X-Signature");
        } else if (!HEADER_NAME.matcher(header).matches()) {
            report.accept("signature.header", "\"" + header + "\" is no header name");
        }
        if (!ALGORITHMS.contains(algorithm)) {
            report.accept("signature.algorithm", "\"" + algorithm + "\" is not HmacSHA256, HmacSHA1 or HmacSHA512");
        }
        if (!encoding.equals("hex") && !encoding.equals("base64")) {
            report.accept("signature.encoding", "\"" + encoding + "\" is neither hex nor base64");
        }
        if (!timestampHeader.isEmpty() && !HEADER_NAME.matcher(timestampHeader).matches()) {
            report.accept("signature.timestamp-header", "\"" + timestampHeader + "\" is no header name");
        }
        boolean body = false;
        boolean timestamp = false;
        Matcher m = PLACEHOLDER.matcher(signed);
        while (m.find()) {
            String p = m.group(1);
            if (p.equals("body")) {
                body = true;
            } else if (p.equals("timestamp")) {
                timestamp = true;
            } else if (!p.startsWith("header:") || !HEADER_NAME.matcher(p.substring("header:".length())).matches()) {
                report.accept("signature.signed", "{" + p + "} is unknown: {body}, {timestamp} and {header:Name} are");
            }
        }
        if (!body) {
            report.accept("signature.signed", "\"" + signed + "\" does not sign the {body}: any body would pass");
        }
        if (timestamp && timestampHeader.isEmpty()) {
            report.accept("signature.timestamp-header", "missing: signed names {timestamp}, which this header carries");
        }
        if (!timestamp && !timestampHeader.isEmpty()) {
            report.accept("signature.signed", "\"" + signed + "\" does not sign the {timestamp} of "
                    + timestampHeader + ": a replay could send a fresh one");
        }
    }

    /** The parts of signed in order: a literal text, or a placeholder's name (body, timestamp, header:Name). */
    private List<String[]> parts() {
        List<String[]> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(signed);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new String[] {"text", signed.substring(at, m.start())});
            }
            parts.add(new String[] {m.group(1), null});
            at = m.end();
        }
        if (at < signed.length()) {
            parts.add(new String[] {"text", signed.substring(at)});
        }
        return parts;
    }

    /**
     * The signature the request must carry: prefix + encoded MAC of the signed bytes (the raw body as received).
     *
     * @param headers the value of a header named in the template, each sent exactly once (the caller refuses others)
     */
    String expected(String secret, byte[] body, String timestamp, Function<String, String> headers) {
        ByteArrayOutputStream message = new ByteArrayOutputStream(body.length + 64);
        for (String[] part : parts()) {
            String name = part[0];
            if (name.equals("text")) {
                message.writeBytes(part[1].getBytes(StandardCharsets.UTF_8));
            } else if (name.equals("body")) {
                message.writeBytes(body);
            } else if (name.equals("timestamp")) {
                message.writeBytes(timestamp.getBytes(StandardCharsets.UTF_8));
            } else {
                message.writeBytes(headers.apply(name.substring("header:".length())).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] mac = mac(algorithm, secret, message.toByteArray());
        return prefix + (encoding.equals("base64") ? Base64.getEncoder().encodeToString(mac) : HexFormat.of().formatHex(mac));
    }

    /** The headers a template names ({header:Name}), which must each be sent once. */
    List<String> signedHeaders() {
        return parts().stream().map(p -> p[0]).filter(n -> n.startsWith("header:")).map(n -> n.substring("header:".length())).toList();
    }

    /** Constant time on the bytes; hex in either case (the prefix too), base64 exactly. */
    boolean matches(String expected, String given) {
        if (given == null) {
            return false;
        }
        return encoding.equals("hex")
                ? WebhookSignatures.equal(expected.toLowerCase(Locale.ROOT), given.toLowerCase(Locale.ROOT))
                : WebhookSignatures.equal(expected, given);
    }

    static byte[] mac(String algorithm, String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(message);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(algorithm + ": " + e.getMessage(), e);
        }
    }
}
