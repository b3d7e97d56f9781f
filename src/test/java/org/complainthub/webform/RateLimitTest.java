package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A client that submits faster than hub.intake.max-per-minute-per-client gets 429 with Retry-After, and nothing is queued for it. */
@TestPropertySource(properties = "hub.intake.max-per-minute-per-client=3")
class RateLimitTest extends HubIntegrationTest {

    @Test
    void theFourthSubmissionInAMinuteIs429() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(postJson("/api/complaints", body(i)).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = postJson("/api/complaints", body(3));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isBetween(1, 60));
        assertThat(json(limited.body()).get("errors").get(0).get("code").asText()).isEqualTo("rate_limited");
        assertThat(drain("complaints.desk")).hasSize(3);
    }

    private static String body(int i) {
        return "{\"customer\": {\"email\": \"r" + i + "@example.com\"}, \"description\": \"The cashier was rude to me, visit " + i + "\"}";
    }
}
