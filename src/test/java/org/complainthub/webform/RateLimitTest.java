package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A client that submits faster than hub.intake.max-per-minute-per-client gets 429 with Retry-After, and nothing is
 * queued for it. Without server.forward-headers-strategy, X-Forwarded-For is nobody's word: a new address in it each
 * time is still the same client.
 */
@TestPropertySource(properties = "hub.intake.max-per-minute-per-client=3")
class RateLimitTest extends HubIntegrationTest {

    @Test
    void theFourthSubmissionInAMinuteIs429() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(postForwardedFor("198.51.100." + i, body(i)).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = postForwardedFor("198.51.100.3", body(3));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(json(limited.body()).get("errors").get(0).get("code").asText()).isEqualTo("rate_limited");
        assertThat(drain("complaints.desk")).hasSize(3);
    }

    private HttpResponse<String> postForwardedFor(String address, String json) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(uri("/api/complaints")).timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json, java.nio.charset.StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String body(int i) {
        return "{\"customer\": {\"email\": \"r" + i + "@example.com\"}, \"description\": \"The cashier was rude to me, visit " + i + "\"}";
    }
}
