package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Behind a proxy (server.forward-headers-strategy=native; the test's loopback address is a trusted proxy by default):
 * each client the proxy names is counted on its own, an IPv6 /64 is one client, and addresses a client writes into
 * X-Forwarded-For itself (left of the proxy's entry) change nothing.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=3", "server.forward-headers-strategy=native"})
class RateLimitBehindProxyTest extends HubIntegrationTest {

    @Test
    void anIpv6Slash64IsOneClient() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(postFrom("2001:db8:42:7::" + i, i).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> limited = postFrom("2001:db8:42:7:ffff::4", 4);
        assertThat(limited.statusCode()).as("the fourth address of the same /64").isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(postFrom("2001:db8:42:8::1", 5).statusCode()).as("another /64").isEqualTo(202);
    }

    @Test
    void eachClientTheProxyNamesIsCountedAndWhatTheClientWroteIsNot() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(postFrom("198.51.100." + i + ", 203.0.113.9", 10 + i).statusCode()).isEqualTo(202);
        }
        assertThat(postFrom("198.51.100.4, 203.0.113.9", 14).statusCode()).as("the client's own entries").isEqualTo(429);
        assertThat(postFrom("203.0.113.10", 15).statusCode()).as("another client").isEqualTo(202);
    }

    HttpResponse<String> postFrom(String forwardedFor, int i) throws Exception {
        String json = "{\"customer\": {\"email\": \"p" + i + "@example.com\"}, \"description\": \"The cashier was rude to me, visit " + i + "\"}";
        return http.send(HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
