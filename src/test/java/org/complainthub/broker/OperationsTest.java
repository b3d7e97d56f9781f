package org.complainthub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** What an operator relies on: every route file loaded and started, health, metrics, and the queue browser. */
@AutoConfigureObservability // Spring Boot tests switch the Prometheus registry off otherwise
class OperationsTest extends HubIntegrationTest {

    @Autowired
    CamelContext camel;
    @LocalManagementPort
    int managementPort;

    @Test
    void everyRouteInEveryRouteFileIsStarted() throws Exception {
        List<String> ids = new ArrayList<>();
        Pattern routeId = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*(\\S+)");
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("routes")), Files.list(Path.of("src/main/resources/camel")))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = routeId.matcher(Files.readString(f));
                while (m.find()) {
                    ids.add(m.group(1));
                }
            }
        }
        assertThat(ids).contains("webform-page", "webform-api-intake", "webform-form-intake", "complaint-dispatch");
        for (String id : ids) {
            // every route is loaded; a channel that is off by its settings (email without a mailbox) is not started
            assertThat(camel.getRoute(id)).as(id + " is loaded").isNotNull();
            assertThat(camel.getRouteController().getRouteStatus(id)).as(id)
                    .isEqualTo(camel.getRoute(id).isAutoStartup() ? ServiceStatus.Started : ServiceStatus.Stopped);
        }
        assertThat(camel.getRoute("email-intake").isAutoStartup()).as("hub.email.enabled=false by default").isFalse();
        assertThat(camel.getRoutes()).as("every route, Kamelet copies included, has an id of ours")
                .allMatch(r -> !r.getRouteId().matches("(route|complaint-intake-)\\d+"));
        assertThat(camel.getRoute("webform-api-intake-core")).isNotNull();
    }

    @Test
    void healthMetricsAndTheQueueBrowser() throws Exception {
        HttpResponse<String> posted = postJson("/api/complaints", """
                {"customer": {"email": "ops@example.com"}, "description": "I was overcharged twice on my bill for October."}""");
        assertThat(posted.statusCode()).isEqualTo(202);
        String id = json(posted.body()).get("id").asText();
        postJson("/api/complaints", "{\"description\": \"no contact\"}");

        assertThat(json(management("/actuator/health").body()).get("status").asText()).isEqualTo("UP");

        JsonNode depths = json(management("/actuator/queues").body());
        assertThat(depths.get("complaints.billing").asInt()).isEqualTo(1);
        assertThat(depths.get("complaints.desk").asInt()).isEqualTo(1);
        assertThat(depths.get("complaints.quality").asInt()).isZero();

        JsonNode browsed = json(management("/actuator/queues/complaints.billing").body());
        assertThat(browsed).hasSize(1);
        assertThat(browsed.get(0).at("/properties/complaintId").asText()).isEqualTo(id);
        assertThat(browsed.get(0).at("/body/id").asText()).isEqualTo(id);
        assertThat(depth("complaints.billing")).as("browsing takes nothing off the queue").isEqualTo(1);
        assertThat(management("/actuator/queues/secret.queue").statusCode()).isEqualTo(400);

        String metrics = management("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("hub_intake_total\\{channel=\"webform\",outcome=\"accepted\"[^}]*} 1\\.0")
                .containsPattern("hub_intake_total\\{channel=\"webform\",outcome=\"rejected\"[^}]*} 1\\.0")
                .containsPattern("camel_route_policy_seconds_count\\{[^}]*routeId=\"complaint-dispatch\"");
        drain("complaints.billing");
        drain("complaints.desk");
    }

    private HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
