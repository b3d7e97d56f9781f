package org.complainthub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.complainthub.complaint.Complaint;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The intake steps exist once: a step added as one bean (here a test-only step after classify that stamps a signal
 * with the channel and the department, and refuses a marked text) applies to a complaint taken singly (the web form's
 * POST through kamelet:complaint-intake) and to every row of a hotline call-log file (the batch intake) alike; what
 * it refuses is a 400 for the form and one quarantined row, not a failed file, for the hotline. One Kamelet instance
 * serves two channels named by an expression (src/test/resources/pipeline-test).
 */
@TestPropertySource(properties = {"hub.hotline.read-lock-check-ms=200", "hub.hotline.poll-interval-ms=200",
        "hub.intake.max-per-minute-per-client=1000",
        "camel.main.routes-include-pattern=classpath:camel/*.yaml,file:${hub.routes-dir:routes}/*.yaml,classpath:pipeline-test/*.yaml"})
class IntakePipelineTest extends HubIntegrationTest {

    static final String REFUSE = "REFUSED-BY-THE-TEST-STEP";
    static final String HEADER = "Caller Number,Caller Name,Agent,Start Time,Duration,Disposition,Category,Notes,Demand,"
            + "Order Number,Call ID\n";
    static Path dropFolder;

    @TestConfiguration
    static class AddedStep {
        /** A step as the next one (a repeat-complaint check) will be added: one bean, placed after classify. */
        @Bean
        @Order(CoreIntakeSteps.CLASSIFY + 50)
        IntakeStep stampStep() {
            return (complaint, channel) -> {
                if (complaint.getDescription().contains(REFUSE)) {
                    throw SubmissionRejected.of(400, "description", "invalid", "refused by the test step");
                }
                List<String> signals = new ArrayList<>(complaint.getSignals());
                signals.add("test-step:" + channel + ":" + complaint.getDepartment());
                complaint.setSignals(signals);
                return complaint;
            };
        }
    }

    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) throws IOException {
        dropFolder = Files.createTempDirectory("pipeline-hotline-");
        registry.add("hub.hotline.folder", dropFolder::toString);
    }

    @Autowired
    ProducerTemplate producer;

    @Test
    void aStepAddedOnceAppliesToAWebFormComplaint() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints",
                "{\"customer\": {\"phone\": \"13800138050\"}, \"description\": \"快递三天都没送到，电话也打不通。\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();

        JsonNode record = deskRecord("complaintId = '" + id + "'");
        assertThat(record.get("channel").asText()).isEqualTo("webform");
        assertThat(signals(record)).as("after classify: the department is known")
                .contains("test-step:webform:" + record.get("department").asText());

        HttpResponse<String> refused = postJson("/api/complaints",
                "{\"customer\": {\"phone\": \"13800138051\"}, \"description\": \"" + REFUSE + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).toString()).contains("description", "refused by the test step");
    }

    @Test
    void theSameStepAppliesToEveryRowOfAHotlineFileAndRefusesOneRowNotTheFile() throws Exception {
        drop("pipeline.csv", HEADER
                + "13800138060,钱一,王敏,2026-11-20 09:00:00,60,Answered,,快递一周没到,,DD-1,PIPE-1\n"
                + "13800138061,孙二,王敏,2026-11-20 09:01:00,60,Answered,,热水器漏电，太危险了,,DD-2,PIPE-2\n"
                + "13800138062,李三,王敏,2026-11-20 09:02:00,60,Answered,," + REFUSE + ",,DD-3,PIPE-3\n");

        Map<String, JsonNode> records = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            JsonNode record = deskRecord("channel = 'hotline'");
            records.put(record.get("sourceId").asText(), record);
        }
        assertThat(records).containsOnlyKeys("PIPE-1", "PIPE-2");
        records.values().forEach(record -> assertThat(signals(record))
                .contains("test-step:hotline:" + record.get("department").asText()));

        BytesMessage quarantined = (BytesMessage) jms.receive("complaints.quarantine");
        assertThat(quarantined).isNotNull();
        assertThat(quarantined.getStringProperty("lineNumber")).isEqualTo("4");
        assertThat(quarantined.getStringProperty("reason")).contains("refused by the test step");
        assertThat(depth("complaints.quarantine")).isZero();
    }

    @Test
    void oneKameletInstanceServesTwoChannelsNamedByAnExpression() {
        Map<String, Object> payload = Map.of("customer", Map.of("phone", "13800138070"),
                "description", "门店的空调太冷了，希望调高一点温度。");
        Complaint first = producer.requestBodyAndHeader("direct:pipeline-test-two-channels", payload, "testChannel",
                "chat-a", Complaint.class);
        Complaint second = producer.requestBodyAndHeader("direct:pipeline-test-two-channels", payload, "testChannel",
                "chat-b", Complaint.class);

        assertThat(first.getChannel()).isEqualTo("chat-a");
        assertThat(first.getSignals()).contains("test-step:chat-a:" + first.getDepartment());
        assertThat(second.getChannel()).isEqualTo("chat-b");
        assertThat(second.getSignals()).contains("test-step:chat-b:" + second.getDepartment());
    }

    private JsonNode deskRecord(String selector) throws Exception {
        jakarta.jms.Message m = jms.receiveSelected("complaints.desk", selector);
        assertThat(m).as("a record on complaints.desk with " + selector).isNotNull();
        String body = ((jakarta.jms.TextMessage) m).getText();
        assertThat(recordSchema.problems(body)).isEmpty();
        return json(body);
    }

    private static List<String> signals(JsonNode record) {
        List<String> out = new ArrayList<>();
        record.get("signals").forEach(s -> out.add(s.asText()));
        return out;
    }

    /** Writes the file under a temporary name, renames it, and waits until the hub moved it to done/. */
    private static void drop(String name, String content) throws IOException {
        Path tmp = dropFolder.resolve(name + ".part");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dropFolder.resolve(name));
        await().atMost(Duration.ofSeconds(30)).until(() -> inDone(name));
    }

    private static boolean inDone(String name) throws IOException {
        Path done = dropFolder.resolve("done");
        if (!Files.isDirectory(done)) {
            return false;
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith("-" + name));
        }
    }
}
