package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Never a 202 for something that is not durably queued: with the broker stopped the hub answers 503 with Retry-After;
 * once it is back, every complaint that got a 202 (before, during and after) is on its queue exactly once.
 */
@org.springframework.test.context.TestPropertySource(properties = "hub.intake.max-per-minute-per-client=1000")
class BrokerOutageTest extends HubIntegrationTest {

    @Test
    void brokerDownMeans503AndEveryAcceptedComplaintIsQueuedExactlyOnce() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(submit(i, 202));
        }

        broker.stop();
        try {
            for (int i = 5; i < 10; i++) {
                long started = System.nanoTime();
                HttpResponse<String> r = postJson("/api/complaints", body(i));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
                assertThat(json(r.body()).has("error")).isTrue();
                assertThat((System.nanoTime() - started) / 1_000_000).as("fails fast, ms").isLessThan(10_000);
            }
        } finally {
            broker.start();
        }

        // the first sends after the restart may still meet the old, broken connection: those must be 503, never 202
        int i = 10;
        while (accepted.size() < 10) {
            HttpResponse<String> r = postJson("/api/complaints", body(i++));
            assertThat(r.statusCode()).as(r.body()).isIn(202, 503);
            if (r.statusCode() == 202) {
                accepted.add(json(r.body()).get("id").asText());
            }
            assertThat(i).as("the hub recovers by itself").isLessThan(60);
        }

        List<JsonNode> queued = drain("complaints.customer-service");
        List<String> ids = queued.stream().map(n -> n.get("id").asText()).toList();
        assertThat(ids).containsExactlyInAnyOrderElementsOf(accepted);
        Set<String> unique = new HashSet<>(ids);
        assertThat(unique).hasSize(ids.size());
        assertThat(drain("complaints.desk")).hasSize(accepted.size());
    }

    private String submit(int i, int expected) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", body(i));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return json(r.body()).get("id").asText();
    }

    private static String body(int i) {
        return "{\"customer\": {\"email\": \"outage" + i + "@example.com\"},"
                + " \"description\": \"The shop assistant was rude and ignored me, visit " + i + ".\"}";
    }
}
