package org.complainthub.hostile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.complainthub.channel.webhook.WechatSafeMode;

/**
 * What each platform does to a webhook request before it sends it (signature headers, WeChat's signed query and safe
 * mode), with the secrets this suite gives the hub, and the ways a case may get it wrong ({@code sign:}): valid, none,
 * empty, forged (another secret), tampered (the signature of other bytes), stale and future (a timestamp an hour off),
 * bad-timestamp, doubled (the header twice), truncated, uppercase, no-prefix, sha1 (Meta's old header only), hex
 * (instead of base64), and for WeChat safe mode wrong-appid, wrong-key and bad-padding.
 */
final class PlatformRequests {

    static final String META_SECRET = "hostile-meta-app-secret";
    static final String META_VERIFY_TOKEN = "hostile-verify-token";
    static final String WECHAT_TOKEN = "hostileToken2024";
    static final String WECHAT_AES_KEY = "L6aLFvSPsv0jR1bRygouGn3alkIsyqM+PsdjWoi4Y+M";
    static final String WECHAT_APP_ID = "wxd1e2f3a4b5c6d7e8";
    static final String SLACK_SECRET = "hostile-slack-signing-secret";
    static final String TELEGRAM_TOKEN = "hostile-tg-secret_1";
    static final String X_SECRET = "hostile-x-consumer-secret";
    static final String LINE_SECRET = "hostile-line-channel-secret";
    static final String SMS_SECRET = "hostile-sms-gateway-secret";
    private static final String OTHER_SECRET = "not-the-platforms-secret";
    private static final String OTHER_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    /** A request as it leaves the platform: query to add, headers (a name may come twice), body. */
    record Signed(String query, List<String[]> headers, byte[] body) {
    }

    private PlatformRequests() {
    }

    static Signed sign(String platform, String variant, String mode, byte[] body, boolean get) {
        String v = variant == null ? "valid" : variant;
        Signed s = signOnce(platform, v, mode, body, get);
        if (v.equals("doubled") && !s.headers().isEmpty()) {
            doubled(s.headers());
        }
        return s;
    }

    private static Signed signOnce(String platform, String v, String mode, byte[] body, boolean get) {
        long now = System.currentTimeMillis() / 1000;
        String ts = switch (v) {
            case "stale" -> String.valueOf(now - 3600);
            case "future" -> String.valueOf(now + 3600);
            case "bad-timestamp" -> "soon";
            default -> String.valueOf(now);
        };
        String secretFor = v.equals("forged") ? OTHER_SECRET : null;
        byte[] signedBody = v.equals("tampered") ? concat(body, "\n".getBytes(StandardCharsets.UTF_8)) : body;
        List<String[]> headers = new ArrayList<>();
        return switch (platform) {
            case "meta" -> {
                if (v.equals("sha1")) {
                    headers.add(new String[] {"X-Hub-Signature", "sha1=" + hex(mac("HmacSHA1", META_SECRET, body))});
                    yield new Signed("", headers, body);
                }
                String sig = "sha256=" + hex(mac("HmacSHA256", or(secretFor, META_SECRET), signedBody));
                yield new Signed("", header(headers, "X-Hub-Signature-256", shape(v, sig, "sha256=")), body);
            }
            case "x" -> {
                byte[] m = mac("HmacSHA256", or(secretFor, X_SECRET), signedBody);
                String sig = "sha256=" + (v.equals("hex") ? hex(m) : Base64.getEncoder().encodeToString(m));
                yield new Signed("", header(headers, "x-twitter-webhooks-signature", shape(v, sig, "sha256=")), body);
            }
            case "line" -> {
                byte[] m = mac("HmacSHA256", or(secretFor, LINE_SECRET), signedBody);
                String sig = v.equals("hex") ? hex(m) : Base64.getEncoder().encodeToString(m);
                yield new Signed("", header(headers, "X-Line-Signature", shape(v, sig, "")), body);
            }
            case "sms" -> {
                headers.add(new String[] {"X-Timestamp", ts});
                String sig = hex(mac("HmacSHA256", or(secretFor, SMS_SECRET), concat((ts + ".").getBytes(StandardCharsets.UTF_8), signedBody)));
                yield new Signed("", header(headers, "X-Signature", shape(v, sig, "")), body);
            }
            case "slack" -> {
                headers.add(new String[] {"X-Slack-Request-Timestamp", ts});
                String sig = "v0=" + hex(mac("HmacSHA256", or(secretFor, SLACK_SECRET),
                        concat(("v0:" + ts + ":").getBytes(StandardCharsets.UTF_8), signedBody)));
                yield new Signed("", header(headers, "X-Slack-Signature", shape(v, sig, "v0=")), body);
            }
            case "telegram" -> new Signed("", header(headers, "X-Telegram-Bot-Api-Secret-Token",
                    shape(v, or(secretFor, v.equals("tampered") ? TELEGRAM_TOKEN + "x" : TELEGRAM_TOKEN), "")), body);
            case "wechat" -> wechat(v, mode, ts, body, get);
            default -> throw new IllegalArgumentException("no signing for platform " + platform);
        };
    }

    private static Signed wechat(String v, String mode, String ts, byte[] body, boolean get) {
        String token = v.equals("forged") ? OTHER_SECRET : WECHAT_TOKEN;
        String nonce = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        String signedNonce = v.equals("tampered") ? nonce + "1" : nonce;
        if (!"safe".equals(mode) || get) {
            String sig = sha1Sorted(token, ts, signedNonce);
            String q = "timestamp=" + ts + "&nonce=" + nonce + signatureParam("signature", v, sig);
            return new Signed(q, List.of(), body);
        }
        String appId = v.equals("wrong-appid") ? "wxSOMEBODYELSE00" : WECHAT_APP_ID;
        String key = v.equals("wrong-key") ? OTHER_AES_KEY : WECHAT_AES_KEY;
        String encrypt = encrypt(key, appId, body, v.equals("bad-padding") ? 0 : null);
        byte[] envelope = ("<xml><ToUserName><![CDATA[gh_hostile]]></ToUserName><Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt></xml>").getBytes(StandardCharsets.UTF_8);
        String q = "timestamp=" + ts + "&nonce=" + nonce + "&encrypt_type=aes"
                + "&signature=" + sha1Sorted(WECHAT_TOKEN, ts, nonce)
                + signatureParam("msg_signature", v, sha1Sorted(token, ts, signedNonce, encrypt));
        return new Signed(q, List.of(), envelope);
    }

    private static String signatureParam(String name, String v, String sig) {
        return switch (v) {
            case "none" -> "";
            case "empty" -> "&" + name + "=";
            case "doubled" -> "&" + name + "=" + sig + "&" + name + "=" + sig;
            default -> "&" + name + "=" + shape(v, sig, "");
        };
    }

    /** The signature as the variant spoils it; null: no header at all. */
    private static String shape(String v, String sig, String prefix) {
        return switch (v) {
            case "none" -> null;
            case "empty" -> "";
            case "truncated" -> sig.substring(0, sig.length() - 1);
            case "uppercase" -> prefix + sig.substring(prefix.length()).toUpperCase(Locale.ROOT);
            case "no-prefix" -> sig.substring(prefix.length());
            default -> sig;
        };
    }

    private static List<String[]> header(List<String[]> headers, String name, String value) {
        if (value != null) {
            headers.add(new String[] {name, value});
        }
        return headers;
    }

    static void doubled(List<String[]> headers) {
        String[] last = headers.get(headers.size() - 1);
        headers.add(new String[] {last[0], last[1]});
    }

    /** What WeChat does in safe mode: random(16) ‖ length ‖ xml ‖ AppId, padded to 32 bytes, AES-256-CBC, base64. */
    static String encrypt(String encodingAesKey, String appId, byte[] xml, Integer pad) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        try {
            return WechatSafeMode.encrypt(encodingAesKey, appId, xml, random, pad);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha1Sorted(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            return hex(MessageDigest.getInstance("SHA-1").digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] mac(String algorithm, String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
