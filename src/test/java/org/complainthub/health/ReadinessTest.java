package org.complainthub.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.complainthub.support.DatabaseFaults;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;

/**
 * Readiness (what a load balancer asks) is DOWN while the broker or the database cannot be reached, and UP again once
 * they are back, by itself; liveness (what a restart would be decided on) stays UP: restarting the hub brings back
 * neither. The request channel that met the outage says so in its details.
 */
@Import(DatabaseFaults.class)
class ReadinessTest extends HubIntegrationTest {

    @LocalManagementPort
    int managementPort;
    @Autowired
    DatabaseFaults database;

    @AfterEach
    void healed() throws Exception {
        database.heal();
        if (!broker.getActiveMQServer().isStarted()) {
            broker.start();
        }
    }

    @Test
    void readinessIsDownWhileTheBrokerIsStoppedAndUpAfterLivenessStaysUp() throws Exception {
        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);

        broker.stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> management("/actuator/health/readiness").statusCode() == 503);
        JsonNode readiness = json(management("/actuator/health/readiness").body());
        assertThat(readiness.at("/components/jms/status").asText()).isEqualTo("DOWN");
        assertThat(readiness.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);

        HttpResponse<String> refused = postJson("/api/complaints", complaint("broker"));
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode webform = json(management("/actuator/health").body()).at("/components/channels/details/webform");
        assertThat(webform.get("status").asText()).isEqualTo("FAILING");
        assertThat(webform.get("consecutiveFailures").asInt()).isPositive();
        assertThat(webform.get("lastError").asText()).startsWith("broker unavailable");

        broker.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> management("/actuator/health/readiness").statusCode() == 200);
        // the first sends after the restart may still meet the old connection (BrokerOutageTest): 503 until one is taken
        await().atMost(Duration.ofSeconds(30)).until(() -> postJson("/api/complaints", complaint("back")).statusCode() == 202);
        webform = json(management("/actuator/health").body()).at("/components/channels/details/webform");
        assertThat(webform.get("status").asText()).isEqualTo("UP");
        assertThat(webform.get("consecutiveFailures").asInt()).isZero();
        drainDeskQueues();
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndUpAfter() throws Exception {
        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);

        database.failFrom(0, DatabaseFaults.Fault.CONNECTION_LOST);
        HttpResponse<String> readiness = management("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(json(readiness.body()).at("/components/db/status").asText()).isEqualTo("DOWN");
        assertThat(json(readiness.body()).at("/components/jms/status").asText()).isEqualTo("UP");
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);

        database.heal();
        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    private static String complaint(String tag) {
        return "{\"customer\": {\"email\": \"ready-" + tag + "@example.com\"}, \"description\": \"The parcel arrived "
                + "broken and nobody answers the phone (" + tag + ").\"}";
    }

    private HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
