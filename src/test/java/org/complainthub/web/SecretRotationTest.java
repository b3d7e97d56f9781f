package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.complainthub.HubProperties;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Rotating secrets without breaking what is under way: the hub's signing key (links and Message-IDs in mail already
 * sent, form tokens on open pages) and a platform's webhook secret (the platform signs with the new one the moment it
 * is changed in its console, requests in flight still carry the old one). During the rotation both verify; only the
 * new one signs; a third never verifies.
 */
@TestPropertySource(properties = {"hub.signing-key=signing-key-2026-12", "hub.signing-key-previous=signing-key-2026-06",
        "hub.webhooks.meta.enabled=true", "hub.webhooks.meta.app-secret=meta-secret-new",
        "hub.webhooks.meta.app-secret-previous=meta-secret-old", "hub.webhooks.meta.verify-token=verify-demo"})
class SecretRotationTest extends HubIntegrationTest {

    @Autowired
    HubLinks links;

    @Test
    void linksSignedWithTheReplacedKeyStillOpenNewOnesAreSignedWithTheNewKeyAndAnotherKeyOpensNothing() {
        Instant later = Instant.now().plus(Duration.ofDays(7));
        String byOldKey = linksWith("signing-key-2026-06").token("satisfaction", "C-20261101-000042", later);
        String byOtherKey = linksWith("somebody-elses-key").token("satisfaction", "C-20261101-000042", later);
        assertThat(links.readToken("satisfaction", byOldKey, Instant.now())).hasValueSatisfying(
                t -> assertThat(t.complaintId()).isEqualTo("C-20261101-000042"));
        assertThat(links.readToken("satisfaction", byOtherKey, Instant.now())).isEmpty();

        String fresh = links.token("status", "C-20261203-000007", later);
        assertThat(linksWith("signing-key-2026-12").readToken("status", fresh, Instant.now())).as("signed with the new key").isPresent();
        assertThat(linksWith("signing-key-2026-06").readToken("status", fresh, Instant.now())).as("not with the old").isEmpty();

        String tag = linksWith("signing-key-2026-06").tag("message-id", "C-20261101-000042");
        assertThat(links.verifyTag("message-id", "C-20261101-000042", tag)).isTrue();
        assertThat(links.verifyTag("message-id", "C-20261101-000042", linksWith("x").tag("message-id", "C-20261101-000042"))).isFalse();
        String signedPath = linksWith("signing-key-2026-06").signed("/evidence/abc");
        assertThat(links.verify("/evidence/abc", signedPath.substring(signedPath.indexOf("?sig=") + 5))).isTrue();
    }

    @Test
    void aWebhookSignedWithTheOldOrTheNewSecretIsTakenAnotherIsRefused() throws Exception {
        assertThat(meta("m_rotation_old", "meta-secret-old").statusCode()).isEqualTo(200);
        assertThat(meta("m_rotation_new", "meta-secret-new").statusCode()).isEqualTo(200);
        HttpResponse<String> forged = meta("m_rotation_forged", "meta-secret-guessed");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-Hub-Signature-256");
        drainDeskQueues();
    }

    private HttpResponse<String> meta(String mid, String secret) throws Exception {
        byte[] body = ("{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566778\",\"time\":1718000000123,\"messaging\":[{\"sender\":"
                + "{\"id\":\"6543210987601\"},\"recipient\":{\"id\":\"112233445566778\"},\"timestamp\":1718000000045,\"message\":"
                + "{\"mid\":\"" + mid + "\",\"text\":\"The parcel arrived broken.\"}}]}]}").getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return http.send(HttpRequest.newBuilder(uri("/webhooks/meta")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HubLinks linksWith(String key) {
        return new HubLinks(new HubProperties(Path.of("unused"), Path.of("mappings"), ZoneId.of("Asia/Shanghai"), "http://hub", key), "");
    }
}
