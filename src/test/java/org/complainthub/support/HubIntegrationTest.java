package org.complainthub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.complainthub.complaint.RecordJson;
import org.complainthub.complaint.RecordSchema;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub on its embedded defaults (real embedded Artemis with a persistent journal, H2, real HTTP on a random
 * port), with its own data directory and broker id per test class, so classes never share a journal, queues or a
 * vm:// id; the hub is closed after each class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS) // Spring would otherwise share one hub between classes
// repeat detection (issue 15) would make the same test customer's later complaints repeats (another grade, a copy on
// complaints.escalations): off here, on in the classes that test it (@TestPropertySource hub.repeat.enabled=true)
@org.springframework.test.context.TestPropertySource(properties = "hub.repeat.enabled=false")
public abstract class HubIntegrationTest {

    private static final AtomicInteger BROKER_IDS = new AtomicInteger(100);

    @LocalServerPort
    protected int port;
    @Autowired
    protected JmsTemplate jms;
    @Autowired
    protected EmbeddedActiveMQ broker;
    @Autowired
    protected RecordSchema recordSchema;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A test class that moves the shared clock starts from the real time, whatever the class before it did. */
    @org.junit.jupiter.api.BeforeAll
    static void clockAtRealTime() {
        SharedTestClock.CLOCK.set(java.time.Instant.now());
    }

    @DynamicPropertySource
    static void isolate(DynamicPropertyRegistry registry) throws IOException {
        // under target/ (./mvnw clean removes them), not in /tmp: each test context's broker journal takes ~30 MB
        Path under = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        Path dataDir = Files.createTempDirectory(under, "hub-test-");
        int brokerId = BROKER_IDS.incrementAndGet();
        registry.add("hub.data-dir", dataDir::toString);
        registry.add("spring.artemis.embedded.server-id", () -> brokerId);
        registry.add("spring.jms.template.receive-timeout", () -> "2s");
        registry.add("management.server.port", () -> 0);
    }

    protected URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpResponse<String> postJson(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected static JsonNode json(String text) throws IOException {
        return RecordJson.MAPPER.readTree(text);
    }

    /** Messages waiting on a queue right now, as the broker counts them. */
    protected long depth(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    /** Every message on the complaints.* queues the desk and departments read (not the outbound path's own), summed. */
    protected long depthOfAllComplaintQueues() {
        return broker.getActiveMQServer().getPostOffice().getAllBindings()
                .filter(b -> b.getAddress().toString().startsWith("complaints."))
                // the outbound path's own queues are drained in the background: not the desk's queues
                .filter(b -> !b.getAddress().toString().startsWith("complaints.outbound."))
                .filter(b -> b instanceof org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding)
                .mapToLong(b -> ((org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding) b).getQueue().getMessageCount())
                .sum();
    }

    /** Takes the next message off a queue (waiting up to the template's receive timeout) and checks its record against the schema. */
    protected Received take(String queue) throws JMSException, IOException {
        Message m = jms.receive(queue);
        assertThat(m).as("a message on " + queue).isNotNull();
        assertThat(m).isInstanceOf(TextMessage.class);
        String body = ((TextMessage) m).getText();
        assertThat(recordSchema.problems(body)).as("schema problems of the record on " + queue).isEmpty();
        return new Received(m, json(body));
    }

    /** The shipped rules' department queues and the desk's. */
    protected static final List<String> DESK_QUEUES = List.of("complaints.quality", "complaints.logistics",
            "complaints.customer-service", "complaints.billing", "complaints.legal", "complaints.after-sales",
            "complaints.triage", "complaints.desk");

    /** Empties the department and desk queues and {@code more}: a test starts with nothing another one left there. */
    protected void drainDeskQueues(String... more) throws JMSException, IOException {
        for (String q : DESK_QUEUES) {
            drain(q);
        }
        for (String q : more) {
            drain(q);
        }
    }

    /** Drains a queue, returning the records in order (the broker's count says when it is empty: no waiting). */
    protected List<JsonNode> drain(String queue) throws JMSException, IOException {
        List<JsonNode> out = new ArrayList<>();
        while (depth(queue) > 0) {
            Message m = jms.receive(queue);
            if (m != null) {
                out.add(json(((TextMessage) m).getText()));
            }
        }
        return out;
    }

    public record Received(Message message, JsonNode record) {
        public String property(String name) throws JMSException {
            return message.getStringProperty(name);
        }
    }
}
