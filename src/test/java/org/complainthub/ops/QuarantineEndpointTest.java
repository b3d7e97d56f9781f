package org.complainthub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * /actuator/quarantine in the hub itself: the configured management token (no generated file then), requests it
 * refuses, a status event from the desk put back on complaints.status (and quarantined again there, with a new
 * message), and copies that cannot be taken again (a webhook event kept before the replay existed, a mail of which
 * only the headers were kept) listed as such and left untouched by a replay.
 */
@TestPropertySource(properties = "hub.management.token=test-management-token")
class QuarantineEndpointTest extends HubIntegrationTest {

    static final String TOKEN = "test-management-token";

    @LocalManagementPort
    int managementPort;
    @Value("${hub.data-dir}")
    Path dataDir;

    @BeforeEach
    void empty() throws Exception {
        drainDeskQueues("complaints.status");
        while (depth("complaints.quarantine") > 0) { // bytes and text messages alike
            jms.receive("complaints.quarantine");
        }
    }

    @Test
    void theConfiguredTokenAloneOpensItAndBadRequestsAreRefused() throws Exception {
        assertThat(Files.exists(ManagementToken.file(dataDir))).as("a configured token: no generated one").isFalse();
        assertThat(get("", null).statusCode()).isEqualTo(401);
        assertThat(get("", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("", TOKEN).statusCode()).as("the scheme is required").isEqualTo(401);
        assertThat(get("", "bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("?channel=Not_A_Channel", "Bearer " + TOKEN).statusCode()).isEqualTo(400);
        assertThat(post("{}").statusCode()).isEqualTo(400);
        assertThat(post("{\"ids\":\"ID:1\",\"channel\":\"email\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("{\"ids\":\"ID:00000000-0000-0000-0000-000000000000,x'OR'1'='1\"}");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown.body()).at("/outcomes/not-found").asInt()).isEqualTo(2);
    }

    @Test
    void aStatusEventGoesBackOnTheStatusQueueAndIsQuarantinedAgainThereIfStillUnusable() throws Exception {
        jms.send("complaints.status", s -> s.createTextMessage("{\"id\": \"C-20260101-999999\", \"status\": \"RESOLVED\"}"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.quarantine") == 1);
        JsonNode listed = list();
        assertThat(listed.at("/channels/status/count").asInt()).isEqualTo(1);
        String id = listed.at("/messages/0/messageId").asText();
        assertThat(listed.at("/messages/0/replayable").asBoolean()).isTrue();

        JsonNode answer = json(post("{\"channel\":\"status\"}").body());
        assertThat(answer.at("/results/0/outcome").asText()).isEqualTo("requeued");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.quarantine") == 1
                && !list().at("/messages/0/messageId").asText().equals(id));
        assertThat(list().at("/messages/0/reason").asText()).contains("status event refused");
    }

    @Test
    void copiesThatCannotBeTakenAgainAreListedSoAndLeftAsTheyAre() throws Exception {
        // a webhook message quarantined before the replay existed: only the platform's event, no payload kind
        jms.send("complaints.quarantine", s -> {
            var m = s.createTextMessage("{\"message_id\":1,\"chat\":{\"id\":8880123}}");
            m.setStringProperty("channel", "telegram");
            m.setStringProperty("reason", "not a complaint the hub can take: 400 [description]");
            return m;
        });
        // a mail over the size limit: only its headers were kept
        jms.send("complaints.quarantine", s -> {
            var m = s.createBytesMessage();
            m.writeBytes("From: a@example.com\r\nSubject: big\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            m.setStringProperty("channel", "email");
            m.setStringProperty("payloadKind", "mail");
            m.setStringProperty("headersOnly", "true");
            m.setStringProperty("reason", "larger than hub.email.max-bytes (30000000 bytes)");
            return m;
        });
        JsonNode listed = list();
        assertThat(listed.path("messages")).hasSize(2).allSatisfy(m -> {
            assertThat(m.path("replayable").asBoolean()).isFalse();
            assertThat(m.path("notReplayable").asText()).isNotBlank();
        });
        assertThat(listed.toString()).as("numbers masked in reasons").doesNotContain("30000000");

        JsonNode answer = json(post("{\"channel\":\"telegram\"}").body());
        assertThat(answer.at("/results/0/outcome").asText()).isEqualTo("not-replayable");
        answer = json(post("{\"channel\":\"email\"}").body());
        assertThat(answer.at("/results/0/outcome").asText()).isEqualTo("not-replayable");
        assertThat(list().path("messages")).extracting(m -> m.path("messageId").asText())
                .containsExactlyElementsOf(listed.path("messages").findValuesAsText("messageId"));
        assertThat(depthOfAllComplaintQueues()).as("the two copies, nothing else").isEqualTo(2);
    }

    private JsonNode list() throws Exception {
        HttpResponse<String> r = get("", "Bearer " + TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r.body());
    }

    private HttpResponse<String> get(String query, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/quarantine" + query));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/quarantine"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
