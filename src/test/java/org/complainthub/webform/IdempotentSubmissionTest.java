package org.complainthub.webform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.complainthub.HubProperties;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.Multipart;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The page's one-time token and the API's Idempotency-Key: a repeated submission is one complaint, answered the same. */
@TestPropertySource(properties = "hub.intake.max-per-minute-per-client=1000")
class IdempotentSubmissionTest extends HubIntegrationTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"");
    private static final String BODY = """
            {"customer": {"email": "idem@example.com"},
             "description": "My parcel for order 7788 is a week late and the courier does not answer."}""";

    @Autowired
    HubProperties hub;

    @BeforeEach
    void emptyQueues() throws Exception {
        drainDeskQueues();
    }

    @Test
    void theSameFormSentTwiceWithItsTokenIsOneComplaintAndTheSameAnswer() throws Exception {
        String token = tokenOfAFreshPage();
        byte[] photo = ("photo sent twice " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        Multipart form = form(token).file("attachments", "p.jpg", "image/jpeg", photo);

        HttpResponse<String> first = post("/complaints", form.contentType(), form.body());
        HttpResponse<String> again = post("/complaints", form.contentType(), form.body());

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(json(again.body())).as("the same reference and due time").isEqualTo(json(first.body()));
        List<JsonNode> onDesk = drain("complaints.desk");
        assertThat(onDesk).hasSize(1);
        assertThat(onDesk.get(0).get("id").asText()).isEqualTo(json(first.body()).get("id").asText());
        assertThat(onDesk.get(0).get("sourceId").asText()).isEqualTo("form:" + token.substring(0, token.indexOf('.')));
        String hash = sha256(photo);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(files("uploads")).as("the repeat's upload is not kept").isEmpty();
            assertThat(files("evidence")).filteredOn(f -> f.getFileName().toString().contains(hash)).hasSize(1);
        });
    }

    @Test
    void twoPagesAreTwoTokensAndTwoComplaints() throws Exception {
        String one = tokenOfAFreshPage();
        String two = tokenOfAFreshPage();
        assertThat(one).isNotEqualTo(two).matches("[A-Za-z0-9_-]{22}\\.[0-9a-f]{20}");
        Multipart a = form(one);
        Multipart b = form(two);
        String idA = json(post("/complaints", a.contentType(), a.body()).body()).get("id").asText();
        String idB = json(post("/complaints", b.contentType(), b.body()).body()).get("id").asText();
        assertThat(idA).isNotEqualTo(idB);
        assertThat(drain("complaints.desk")).hasSize(2);
    }

    @Test
    void aPageWithoutATokenIsStillTakenButNotIdempotent() throws Exception {
        Multipart cached = form(null);
        HttpResponse<String> first = post("/complaints", cached.contentType(), cached.body());
        HttpResponse<String> again = post("/complaints", cached.contentType(), cached.body());
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(first.body()).get("id")).isNotEqualTo(json(again.body()).get("id"));
        assertThat(drain("complaints.desk")).hasSize(2);
    }

    @Test
    void aTokenTheHubDidNotIssueIsTakenWithoutIdempotencyAndADamagedOneIsRefused() throws Exception {
        String forged = "AAAAAAAAAAAAAAAAAAAAAA.0123456789abcdef0123";
        Multipart form = form(forged);
        HttpResponse<String> first = post("/complaints", form.contentType(), form.body());
        HttpResponse<String> again = post("/complaints", form.contentType(), form.body());
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(json(first.body()).get("id")).isNotEqualTo(json(again.body()).get("id"));
        assertThat(drain("complaints.desk")).hasSize(2);
        emptyQueues();

        Multipart damaged = form("not-a-token");
        HttpResponse<String> refused = post("/complaints", damaged.contentType(), damaged.body());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused.body()).at("/errors/0/field").asText()).isEqualTo("formToken");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    @Test
    void concurrentPostsWithTheSameIdempotencyKeyAreOneComplaintAndAllAnswersNameIt() throws Exception {
        String key = "retry-" + System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            posts.add(http.sendAsync(api(key, BODY), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> r = p.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(json(r.body()).get("id").asText());
        }
        List<JsonNode> onDesk = drain("complaints.desk");
        assertThat(onDesk).hasSize(1);
        assertThat(ids).containsOnly(onDesk.get(0).get("id").asText());
        assertThat(onDesk.get(0).get("sourceId").asText()).isEqualTo("api:" + key);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAnsweredWithTheFirstComplaintAndDifferentKeysAreTwo() throws Exception {
        String key = "k-" + System.nanoTime();
        HttpResponse<String> first = http.send(api(key, BODY), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> changed = http.send(api(key, """
                {"customer": {"email": "idem@example.com"}, "description": "Charged twice for one order."}"""),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(api(key + "-2", BODY), HttpResponse.BodyHandlers.ofString());
        assertThat(json(changed.body())).isEqualTo(json(first.body()));
        assertThat(json(other.body()).get("id")).isNotEqualTo(json(first.body()).get("id"));
        assertThat(drain("complaints.desk")).extracting(r -> r.get("id").asText())
                .containsExactly(json(first.body()).get("id").asText(), json(other.body()).get("id").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\there", "",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aMalformedIdempotencyKeyIsA400NamingTheHeader(String key) throws Exception {
        HttpResponse<String> r = http.send(api(key, BODY), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).at("/errors/0/field").asText()).isEqualTo("Idempotency-Key");
        assertThat(depthOfAllComplaintQueues()).isZero();
    }

    private HttpRequest api(String key, String body) {
        return HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private String tokenOfAFreshPage() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(page.body());
        assertThat(m.find()).as("the page carries a token").isTrue();
        return m.group(1);
    }

    private static Multipart form(String token) {
        Multipart form = new Multipart().field("customer.email", "idem@example.com")
                .field("description", "电水壶坏了，订单 SO-1 的客服不回复。").field("consent", "yes");
        return token == null ? form : form.field("formToken", token);
    }

    private List<Path> files(String dir) throws Exception {
        Path d = hub.dataDir().resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (var walk = Files.walk(d)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
