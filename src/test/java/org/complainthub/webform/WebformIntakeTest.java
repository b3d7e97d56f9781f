package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.Multipart;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The web form channel end to end: HTTP on a random port → pipeline → embedded Artemis queues. */
@ExtendWith(OutputCaptureExtension.class)
@org.springframework.test.context.TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000",
        "hub.evidence.upload-sweep-ms=200", "hub.evidence.upload-max-age=PT1M"})
class WebformIntakeTest extends HubIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.complainthub.HubProperties hub;

    /** Every file under the data directory's uploads and evidence folders. */
    private List<java.nio.file.Path> filesOfUploadsAndEvidence() throws Exception {
        List<java.nio.file.Path> all = new java.util.ArrayList<>();
        for (String dir : List.of("uploads", "evidence")) {
            java.nio.file.Path d = hub.dataDir().resolve(dir);
            if (java.nio.file.Files.isDirectory(d)) {
                try (var walk = java.nio.file.Files.walk(d)) {
                    walk.filter(java.nio.file.Files::isRegularFile).forEach(all::add);
                }
            }
        }
        return all;
    }

    @Test
    void aRefusedFormLeavesNoFileAnywhere() throws Exception {
        byte[] photo = ("photo of a refused complaint " + System.nanoTime()).getBytes();
        Multipart form = new Multipart().field("customer.phone", "12345").field("description", "坏了")
                .field("consent", "yes").file("attachments", "p.jpg", "image/jpeg", photo)
                .file("attachments", "q.jpg", "image/jpeg", new byte[300_000]);
        HttpResponse<String> r = post("/complaints", form.contentType(), form.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).get("errors").get(0).get("field").asText()).isEqualTo("customer.phone");
        String hash = sha256(photo);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(filesOfUploadsAndEvidence()).noneMatch(f -> f.getFileName().toString().contains(hash)));
        assertThat(filesOfUploadsAndEvidence()).noneMatch(f -> f.startsWith(hub.dataDir().resolve("uploads")));
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void uploadsLeftByACrashAreSweptOnceOld() throws Exception {
        java.nio.file.Path uploads = java.nio.file.Files.createDirectories(hub.dataDir().resolve("uploads"));
        java.nio.file.Path old = java.nio.file.Files.write(uploads.resolve("left-by-a-crash.upload"), new byte[] {1, 2, 3});
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofHours(2))));
        java.nio.file.Path fresh = java.nio.file.Files.write(uploads.resolve("in-flight.part"), new byte[] {4});
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !java.nio.file.Files.exists(old));
            assertThat(fresh).as("a file still being written is younger than the age").exists();
        } finally {
            java.nio.file.Files.deleteIfExists(old);
            java.nio.file.Files.deleteIfExists(fresh);
        }
    }

    @BeforeEach
    void emptyQueues() throws Exception {
        drainDeskQueues();
    }

    @Test
    void jsonComplaintLandsOnItsDepartmentQueueAndTheDesk() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"name": "Li Lei", "email": "li.lei@example.com", "phone": "138 0013 8000"},
                 "subject": "Courier lost my parcel",
                 "description": "My parcel for order 4411 is a week late and the courier does not answer. Where is it?",
                 "target": {"order": "4411"}, "demands": ["EXPLANATION"]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode answer = json(r.body());
        String id = answer.get("id").asText();
        assertThat(id).matches("C-\\d{8}-\\d{6,}");

        Received onQueue = take("complaints.logistics");
        JsonNode record = onQueue.record();
        assertThat(record.get("id").asText()).isEqualTo(id);
        assertThat(onQueue.property("complaintId")).isEqualTo(id);
        assertThat(onQueue.property("department")).isEqualTo("logistics");
        assertThat(onQueue.property("type")).isEqualTo("DELIVERY");
        assertThat(onQueue.property("grade")).isEqualTo(record.get("grade").asText());
        assertThat(onQueue.property("channel")).isEqualTo("webform");
        assertThat(onQueue.message().getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
        assertThat(java.util.Collections.list(onQueue.message().getPropertyNames())).as("nothing of the HTTP request")
                .noneMatch(p -> p.toString().toLowerCase().matches(".*(agent|host|content|connection).*"));
        assertThat(record.at("/customer/phone").asText()).isEqualTo("+8613800138000");
        assertThat(record.at("/customer/language").asText()).isEqualTo("en");
        assertThat(record.at("/target/order").asText()).isEqualTo("4411");
        assertThat(OffsetDateTime.parse(record.get("dueAt").asText()))
                .isEqualTo(OffsetDateTime.parse(answer.get("dueAt").asText()));

        Received onDesk = take("complaints.desk");
        assertThat(onDesk.record().get("id").asText()).isEqualTo(id);
        assertThat(onDesk.property("department")).isEqualTo("logistics");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void chineseBrokenProductMentioning12315And5000YuanIsGradeAForQualityDueIn8Hours() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"name": "王芳", "phone": "13900139000"},
                 "description": "我买的洗衣机用了三天就坏了，滚筒不转，花了5000元。客服一直推脱，再不解决我就打12315投诉！",
                 "demands": ["REFUND"]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode record = take("complaints.quality").record();
        assertThat(record.get("grade").asText()).isEqualTo("A");
        assertThat(record.get("type").asText()).isEqualTo("PRODUCT_QUALITY");
        assertThat(record.get("department").asText()).isEqualTo("quality");
        assertThat(record.at("/customer/language").asText()).isEqualTo("zh");
        OffsetDateTime received = OffsetDateTime.parse(record.get("receivedAt").asText());
        assertThat(OffsetDateTime.parse(record.get("dueAt").asText())).isEqualTo(received.plusHours(8));
        assertThat(received.getOffset().getTotalSeconds()).as("hub time zone Asia/Shanghai").isEqualTo(8 * 3600);
        assertThat(record.at("/amount/value").decimalValue()).isEqualByComparingTo("5000");
    }

    @Test
    void theTopicTheCustomerChoseWinsOverTheText() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"email": "a@example.com"}, "type": "PRICE_BILLING",
                 "description": "The delivery was fine but I was charged twice for it."}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(take("complaints.billing").record().get("type").asText()).isEqualTo("PRICE_BILLING");
    }

    @Test
    void formPostWithAttachmentsStoresEvidenceTheDeskCanOpen() throws Exception {
        byte[] photo = "\u0089PNG fake photo bytes of a broken kettle".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] receipt = "receipt 2026-11-20 ¥6,000".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Multipart form = new Multipart()
                .field("customer.name", "张伟").field("customer.phone", "+86 138-0013-8000")
                .field("customer.email", "").field("customer.language", "zh")
                .field("target.order", "SO-20261120-77").field("type", "")
                .field("description", "电水壶用了一次就漏电，把我手电了一下，太危险了！")
                .field("demands", "REFUND").field("demands", "APOLOGY").field("consent", "yes")
                .file("attachments", "水壶照片.png", "image/png", photo)
                .file("attachments", "receipt.txt", "text/plain", receipt);
        HttpResponse<String> r = post("/complaints", form.contentType(), form.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r.body()).get("id").asText();

        Received onQueue = take("complaints.quality");
        JsonNode record = onQueue.record();
        assertThat(record.get("id").asText()).isEqualTo(id);
        assertThat(record.get("grade").asText()).as("electric shock is a safety issue").isEqualTo("A");
        assertThat(record.get("demands").toString()).isEqualTo("[\"REFUND\",\"APOLOGY\"]");
        assertThat(record.at("/customer/email").isMissingNode()).as("an empty field is absent, not \"\"").isTrue();
        assertThat(record.get("evidence")).hasSize(2);
        JsonNode first = record.get("evidence").get(0);
        assertThat(first.get("fileName").asText()).isEqualTo("水壶照片.png");
        assertThat(first.get("contentType").asText()).isEqualTo("image/png");
        assertThat(first.get("size").asLong()).isEqualTo(photo.length);
        assertThat(first.get("sha256").asText()).isEqualTo(sha256(photo));
        assertThat(((jakarta.jms.TextMessage) onQueue.message()).getText()).doesNotContain("fake photo bytes");

        String location = first.get("location").asText();
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(java.net.URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(photo);
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(filesOfUploadsAndEvidence())
                .as("moved into the evidence store: nothing left in the upload area")
                .noneMatch(f -> f.startsWith(hub.dataDir().resolve("uploads"))));

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(java.net.URI.create(
                location.replaceAll("sig=[0-9a-f]{4}", "sig=0000"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(404);
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(uri("/evidence/" + sha256(photo))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no description          | {"customer": {"email": "a@example.com"}}                                                  | description      | required
            blank description       | {"customer": {"email": "a@example.com"}, "description": "   "}                           | description      | required
            no way to contact       | {"customer": {"name": "Li"}, "description": "broken"}                                    | customer         | contact_required
            no customer at all      | {"description": "broken"}                                                                 | customer         | contact_required
            malformed email         | {"customer": {"email": "li.lei@@example"}, "description": "broken"}                      | customer.email   | invalid
            malformed phone         | {"customer": {"phone": "12345"}, "description": "broken"}                                | customer.phone   | invalid
            unknown top-level field | {"customer": {"email": "a@example.com"}, "description": "broken", "priority": "high"}   | priority         | unknown_field
            unknown nested field    | {"customer": {"email": "a@example.com", "vip": true}, "description": "broken"}          | customer.vip     | unknown_field
            hub-owned field         | {"customer": {"email": "a@example.com"}, "description": "broken", "grade": "D"}         | grade            | unknown_field
            unknown demand          | {"customer": {"email": "a@example.com"}, "description": "broken", "demands": ["MONEY"]} | demands[0]       | invalid
            wrong type              | {"customer": {"email": "a@example.com"}, "description": 42}                              | description      | invalid
            negative amount         | {"customer": {"email": "a@example.com"}, "description": "x", "amount": {"value": -5}}   | amount.value     | invalid
            bad date                | {"customer": {"email": "a@example.com"}, "description": "x", "occurredAt": "yesterday"} | occurredAt       | invalid
            header injection        | {"customer": {"email": "a@example.com", "name": "Li\\r\\nBcc: x@evil.test"}, "description": "x"} | customer.name | invalid
            not JSON                | {"customer":                                                                              | ''               | invalid
            not an object           | ["broken"]                                                                                | ''               | invalid
            duplicate keys          | {"description": "a", "description": "b", "customer": {"email": "a@example.com"}}       | ''               | invalid
            """)
    void invalidJsonIsA400WithFieldErrorsAndQueuesNothing(String name, String body, String field, String code) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode errors = json(r.body()).get("errors");
        assertThat(errors).isNotEmpty();
        if (field.isEmpty()) { // a problem with the body as a whole names no field
            assertThat(errors.get(0).has("field")).isFalse();
            assertThat(errors.get(0).get("code").asText()).isEqualTo(code);
            assertThat(depthOfAllComplaintQueues()).isZero();
            return;
        }
        assertThat(errors.findValuesAsText("field")).contains(field);
        int i = errors.findValuesAsText("field").indexOf(field);
        assertThat(errors.get(i).get("code").asText()).isEqualTo(code);
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void allProblemsAreReportedAtOnce() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"email": "not-an-email", "phone": "000"}, "description": ""}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("errors").findValuesAsText("field")).contains("description");
    }

    @Test
    void formWithoutConsentOrWithUnknownFieldsIsRefused() throws Exception {
        Multipart form = new Multipart().field("customer.phone", "13800138000").field("description", "坏了")
                .field("isAdmin", "true");
        HttpResponse<String> r = post("/complaints", form.contentType(), form.body());
        assertThat(r.statusCode()).isEqualTo(400);
        List<String> fields = json(r.body()).get("errors").findValuesAsText("field");
        assertThat(fields).contains("consent", "isAdmin");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void tooManyAttachmentsIsRefused() throws Exception {
        Multipart form = new Multipart().field("customer.phone", "13800138000").field("description", "坏了")
                .field("consent", "yes");
        for (int i = 0; i < 6; i++) {
            form.file("attachments", "p" + i + ".jpg", "image/jpeg", new byte[] {(byte) i});
        }
        HttpResponse<String> r = post("/complaints", form.contentType(), form.body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r.body()).get("errors").get(0).get("code").asText()).isEqualTo("too_many");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        String big = "{\"customer\": {\"email\": \"a@example.com\"}, \"description\": \"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> r = postJson("/api/complaints", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r.body()).get("errors").get(0).get("code").asText()).isEqualTo("too_large");

        Multipart form = new Multipart().field("customer.phone", "13800138000").field("description", "坏了")
                .field("consent", "yes").file("attachments", "huge.bin", "application/octet-stream", new byte[11 * 1024 * 1024]);
        HttpResponse<String> f = post("/complaints", form.contentType(), form.body());
        assertThat(f.statusCode()).isEqualTo(413);
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void contentTypesTheHubDoesNotTakeAre415() throws Exception {
        HttpResponse<String> r = post("/api/complaints", "text/plain", "description=broken".getBytes());
        assertThat(r.statusCode()).isEqualTo(415);
        HttpResponse<String> f = post("/complaints", "application/json", "{}".getBytes());
        assertThat(f.statusCode()).isEqualTo(415);
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void answersCarryNoInternalHeaders() throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"email": "h@example.com"}, "description": "The store staff were rude to me."}""");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("complaintId")
                || h.equalsIgnoreCase("department") || h.toLowerCase().startsWith("camel") || h.contains("AMQ"));
    }

    @Test
    void personalDataNeverReachesTheLog(CapturedOutput output) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", """
                {"customer": {"name": "Zhao Xiaoming", "email": "zhao.xiaoming@example.com", "phone": "13700137000"},
                 "description": "The package arrived late and the box was crushed."}""");
        assertThat(r.statusCode()).isEqualTo(202);
        postJson("/api/complaints", """
                {"customer": {"name": "Zhao Xiaoming", "email": "zhao.xiaoming@@example.com"}, "description": "x"}""");
        assertThat(output.getAll()).contains(json(r.body()).get("id").asText())
                .doesNotContain("Zhao", "zhao.xiaoming", "13700137000", "+8613700137000");
    }

    @Test
    void referenceNumbersAreUniqueUnderConcurrency() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":{\"email\":\"c" + i + "@example.com\"},"
                            + "\"description\":\"Staff ignored me at the counter, visit " + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var f : sent) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(202);
            ids.add(json(r.body()).get("id").asText());
        }
        assertThat(ids).hasSize(40);
        assertThat(drain("complaints.desk")).hasSize(40);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
