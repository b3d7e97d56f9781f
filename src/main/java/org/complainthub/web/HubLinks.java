package org.complainthub.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.complainthub.HubProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Absolute, signed links to the hub (evidence files, later status pages). A link carries an HMAC of its path, so
 * knowing one attachment's hash does not let anybody fetch it: only links the hub handed out open.
 */
@Component
public class HubLinks {


    private final HubProperties hub;
    private final byte[] key;
    /** Keys replaced by a rotation: what they signed still verifies (links in mail already sent), nothing new is signed. */
    private final List<byte[]> previousKeys;
    private volatile String baseUrl;

    public HubLinks(HubProperties hub, @Value("${hub.signing-key-previous:}") String previousKeys) {
        this.hub = hub;
        this.key = loadKey(hub);
        this.previousKeys = Arrays.stream(previousKeys.split(",")).map(String::strip).filter(k -> !k.isEmpty())
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.baseUrl = hub.publicUrl();
    }

    @EventListener
    void onServerStarted(WebServerInitializedEvent event) {
        // the management server (its own port) announces itself too: only the main server's port is the hub's
        if (hub.publicUrl().isEmpty() && event.getApplicationContext().getServerNamespace() == null) {
            baseUrl = "http://localhost:" + event.getWebServer().getPort();
        }
    }

    /** {@code base + path + ?sig=...}; the path must not carry a query of its own. */
    public String signed(String path) {
        return baseUrl + path + "?sig=" + signature(path);
    }

    /**
     * A token for a link that opens one complaint's page for a purpose (status, satisfaction, optout) until it expires:
     * {@code base64url(purpose|id|expiry) + "." + hmac}. Nothing about the customer is in it.
     */
    public String token(String purpose, String complaintId, java.time.Instant expires) {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (purpose + "|" + complaintId + "|" + expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + signature(payload).substring(0, 32);
    }

    /** What a token opens: the complaint id and whether it has expired; empty when it is not the hub's. */
    public java.util.Optional<Token> readToken(String purpose, String token, java.time.Instant now) {
        if (token == null || token.length() > 400) {
            return java.util.Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot < 1) {
            return java.util.Optional.empty();
        }
        String payload = token.substring(0, dot);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (keys().noneMatch(k -> MessageDigest.isEqual(signature(k, payload).substring(0, 32).getBytes(StandardCharsets.US_ASCII),
                given))) {
            return java.util.Optional.empty();
        }
        String[] parts = new String(java.util.Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8).split("\\|");
        if (parts.length != 3 || !parts[0].equals(purpose)) {
            return java.util.Optional.empty();
        }
        boolean expired = now.getEpochSecond() > Long.parseLong(parts[2]);
        return java.util.Optional.of(new Token(parts[1], expired));
    }

    /** @param complaintId the complaint the link is about  @param expired whether it may no longer be used */
    public record Token(String complaintId, boolean expired) {
    }

    /** {@code base + path}, unsigned (the path carries its own token). */
    public String url(String path) {
        return baseUrl + path;
    }

    public boolean verify(String path, String sig) {
        if (sig == null) {
            return false;
        }
        byte[] given = sig.getBytes(StandardCharsets.US_ASCII);
        return keys().anyMatch(k -> MessageDigest.isEqual(signature(k, path).getBytes(StandardCharsets.US_ASCII), given));
    }

    /**
     * A keyed tag of {@code value} for one {@code purpose}: 20 hex digits (80 bits) of its HMAC. It marks ids the hub
     * hands out and must recognise later as its own (the Message-IDs of its mail), where the value alone is guessable.
     */
    public String tag(String purpose, String value) {
        return signature(purpose + ":" + value).substring(0, 20);
    }

    /** Whether {@code tag} is {@link #tag}'s for this purpose and value (compared in constant time). */
    public boolean verifyTag(String purpose, String value, String tag) {
        return tag != null && keys().anyMatch(k -> MessageDigest.isEqual(
                signature(k, purpose + ":" + value).substring(0, 20).getBytes(StandardCharsets.US_ASCII),
                tag.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The key that signs, then those a rotation replaced. */
    private Stream<byte[]> keys() {
        return Stream.concat(Stream.of(key), previousKeys.stream());
    }

    private String signature(String path) {
        return signature(key, path);
    }

    private static String signature(byte[] key, String path) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(path.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A configured key wins; otherwise one generated on first start and kept (owner-only, {@link SecretFiles}), so
     * links survive restarts. Whoever reads the key can sign links to every attachment.
     */
    private static byte[] loadKey(HubProperties hub) {
        if (hub.signingKey() != null && !hub.signingKey().isBlank()) {
            return hub.signingKey().getBytes(StandardCharsets.UTF_8);
        }
        return HexFormat.of().parseHex(SecretFiles.readOrCreate(hub.dataDir().resolve("keys/link-signing.key"), 32,
                "link signing key"));
    }
}
