package org.complainthub.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.complainthub.support.MailHubTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A mailbox the hub cannot log in to (its password was changed) makes /actuator/health DOWN naming the email channel
 * once it has not succeeded for its stale-after, with the reason; readiness stays UP (the web form keeps working);
 * the gauges say the same; once the login works again the channel is UP by itself. Every channel has its details.
 */
@AutoConfigureObservability // Spring Boot tests switch the Prometheus registry off otherwise
@TestPropertySource(properties = {"hub.email.enabled=true", "hub.email.poll-interval-ms=200",
        "hub.email.username=complaints@shop.example", "hub.email.password=new-secret",
        "hub.health.email.stale-after=2s", "hub.webhooks.telegram.enabled=true",
        "hub.webhooks.telegram.secret-token=health-test-token"})
class StaleChannelTest extends MailHubTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void aStaleMailboxShowsByNameWithItsReasonAndRecovers() throws Exception {
        GreenMailUser user = mail.setUser("complaints@shop.example", "complaints@shop.example", "old-secret");

        // stale (no success for 2 s) and failing: the poller has tried the mailbox at least once (it may go stale first)
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> h = management("/actuator/health");
            return h.statusCode() == 503 && json(h.body()).at("/components/channels/details/email/consecutiveFailures").asInt() > 0;
        });
        JsonNode channels = json(management("/actuator/health").body()).at("/components/channels");
        assertThat(channels.get("status").asText()).isEqualTo("DOWN");
        assertThat(channels.at("/details/stale").toString()).isEqualTo("[\"email\"]");
        JsonNode email = channels.at("/details/email");
        assertThat(email.get("status").asText()).isEqualTo("STALE");
        assertThat(email.get("enabled").asBoolean()).isTrue();
        assertThat(email.get("staleAfter").asText()).isEqualTo("PT2S");
        assertThat(email.get("lastSuccess").isNull()).isTrue();
        assertThat(email.get("consecutiveFailures").asInt()).isPositive();
        assertThat(email.get("lastError").asText()).contains("AuthenticationFailedException")
                .doesNotContain("complaints@shop.example");
        assertThat(management("/actuator/health/readiness").statusCode()).as("the web form stays in the load balancer")
                .isEqualTo(200);
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);

        // the other channels: the hotline folder polls (UP, its backlog counted), the web form waits for requests
        JsonNode hotline = channels.at("/details/hotline");
        assertThat(hotline.get("status").asText()).isEqualTo("UP");
        assertThat(hotline.get("kind").asText()).isEqualTo("poller");
        assertThat(hotline.get("lastSuccess").asText()).isNotEmpty();
        assertThat(hotline.get("backlog").asInt()).isZero();
        assertThat(channels.at("/details/webform/kind").asText()).isEqualTo("requests");
        assertThat(channels.at("/details/webform/enabled").asBoolean()).isTrue();
        assertThat(channels.at("/details/hotline-sftp/status").asText()).isEqualTo("DISABLED");
        assertThat(channels.at("/details/wechat/enabled").asBoolean()).as("a webhook platform, off by default").isFalse();

        // a webhook platform: a request taken is a success; a refused one (403) is the caller's fault, not the channel's
        String fromBot = "{\"update_id\":1,\"message\":{\"message_id\":1,\"from\":{\"id\":42,\"is_bot\":true},"
                + "\"chat\":{\"id\":42,\"type\":\"private\"},\"date\":1718000500,\"text\":\"hello\"}}";
        assertThat(telegram(fromBot, "wrong").statusCode()).isEqualTo(403);
        assertThat(telegram(fromBot, "health-test-token").statusCode()).isEqualTo(200);
        JsonNode telegram = json(management("/actuator/health").body()).at("/components/channels/details/telegram");
        assertThat(telegram.get("status").asText()).isEqualTo("UP");
        assertThat(telegram.get("lastSuccess").asText()).isNotEmpty();
        assertThat(telegram.get("consecutiveFailures").asInt()).isZero();
        assertThat(telegram.has("staleAfter")).as("no stale-after of its own: a quiet platform is no fault").isFalse();

        String metrics = management("/actuator/prometheus").body();
        assertThat(metrics).contains("hub_channel_up{channel=\"email\"} 0.0", "hub_channel_up{channel=\"hotline\"} 1.0",
                "hub_channel_enabled{channel=\"email\"} 1.0", "hub_channel_enabled{channel=\"wechat\"} 0.0",
                "hub_channel_backlog{channel=\"hotline\"} 0.0")
                .containsPattern("hub_channel_consecutive_failures\\{channel=\"email\"} [1-9]")
                .containsPattern("hub_channel_failures_total\\{channel=\"email\"} [1-9]")
                .containsPattern("hub_channel_last_success_seconds\\{channel=\"hotline\"} 1\\.\\d+E9");

        user.setPassword("new-secret"); // the hub's setting is right again
        await().atMost(Duration.ofSeconds(20)).until(() -> management("/actuator/health").statusCode() == 200);
        email = json(management("/actuator/health").body()).at("/components/channels/details/email");
        assertThat(email.get("status").asText()).isEqualTo("UP");
        assertThat(email.get("consecutiveFailures").asInt()).isZero();
        assertThat(email.get("lastSuccess").asText()).isNotEmpty();
        assertThat(email.get("backlog").asInt()).as("mails in the inbox").isZero();
        assertThat(management("/actuator/prometheus").body()).contains("hub_channel_up{channel=\"email\"} 1.0");
    }

    private HttpResponse<String> telegram(String update, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/webhooks/telegram")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(update)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
