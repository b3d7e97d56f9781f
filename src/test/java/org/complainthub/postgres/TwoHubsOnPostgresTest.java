package org.complainthub.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.complainthub.support.EmbeddedPostgres;
import org.complainthub.support.HubProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.Timeout;

/**
 * Two hubs sharing one PostgreSQL and one broker (the second hub uses the first one's embedded broker over its loopback
 * acceptor, as an external broker) race on the same source ids: the same signed Meta batch is delivered to both at once,
 * several times. Neither sender sees an error, and each message becomes exactly one complaint on the queues (the
 * database's claim decides which hub takes it; one that lost the race after the winner's claim but before its dispatch
 * mark resumes it under the same reference, and the broker's duplicate detection drops that copy). And the same
 * customers write to both hubs at once: each customer's contacts are linked once, to one customer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoHubsOnPostgresTest {

    static final int MESSAGES = 30;
    static final int DELIVERIES_PER_HUB = 3;

    static EmbeddedPostgres postgres;
    static Path dataDir;
    static HubProcess first;
    static HubProcess second;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data").toAbsolutePath()), "two-hubs-");
        List<String> common = new ArrayList<>(postgres.hubSettings("postgres"));
        common.addAll(List.of("hub.webhooks.meta.enabled=true", "hub.webhooks.meta.app-secret=meta-app-secret-demo",
                "hub.webhooks.meta.verify-token=verify-demo", "hub.hotline.enabled=false",
                "hub.intake.max-per-minute-per-client=0", "logging.level.root=WARN"));
        // C1 only: two short-lived hubs start faster without the C2 compiler
        List<String> jvm = List.of("-XX:TieredStopAtLevel=1");
        first = HubProcess.start(dataDir.resolve("first"), "384m", jvm, common);
        List<String> external = new ArrayList<>(common);
        external.addAll(List.of("spring.artemis.embedded.enabled=false",
                "spring.artemis.broker-url=" + first.brokerUrl()
                        + "?callTimeout=5000&callFailoverTimeout=5000&reconnectAttempts=0&initialConnectAttempts=1&retryInterval=100"));
        second = HubProcess.start(dataDir.resolve("second"), "384m", jvm, external);
    }

    @AfterAll
    static void stop() throws Exception {
        for (HubProcess hub : java.util.Arrays.asList(first, second)) { // what the hubs complained of, for whoever reads a failure
            if (hub != null) {
                hub.log().lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).limit(40).forEach(System.out::println);
            }
        }
        try {
            if (second != null) {
                second.close();
            }
        } finally {
            try {
                if (first != null) {
                    first.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
                HubProcess.delete(dataDir);
            }
        }
    }

    @Test
    @Order(1) // counts what is on the department queues: before the next test adds to them
    void theSameWebhookBatchSentToBothHubsAtOnceBecomesOneComplaintPerMessage() throws Exception {
        String[] mids = IntStream.range(0, MESSAGES).mapToObj(i -> "race-" + i).toArray(String[]::new);
        byte[] batch = MigrationsOnPostgresTest.metaBatch(mids).getBytes(StandardCharsets.UTF_8);
        String signature = MigrationsOnPostgresTest.metaSignature(batch);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < DELIVERIES_PER_HUB; i++) {
            for (HubProcess hub : List.of(first, second)) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/webhooks/meta"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as("%s answered %s", r.uri(), r.body()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> desk().size() >= MESSAGES);
        Thread.sleep(1000); // a late second copy would show now
        List<JsonNode> desk = desk();
        Map<String, Long> perMessage = desk.stream().collect(Collectors.groupingBy(r -> r.path("sourceId").asText(), Collectors.counting()));
        assertThat(perMessage.keySet()).containsExactlyInAnyOrder(IntStream.range(0, MESSAGES).mapToObj(i -> "m_race-" + i).toArray(String[]::new));
        assertThat(perMessage.values()).as("copies per message; the doubled ones: %s", desk.stream()
                .filter(r -> perMessage.get(r.path("sourceId").asText()) > 1)
                .map(r -> r.get("id").asText() + "/" + r.path("sourceId").asText() + "/threadOf=" + r.path("threadOf").asText()
                        + "/" + r.path("department").asText()).toList()).allMatch(n -> n == 1);
        assertThat(desk.stream().map(r -> r.get("id").asText()).distinct().count()).isEqualTo(MESSAGES);
        // and on their department queues too: each once
        long onDepartments = departmentQueues().values().stream().mapToLong(Long::longValue).sum();
        assertThat(onDepartments).isEqualTo(MESSAGES);
        assertThat(first.isAlive()).isTrue();
        assertThat(second.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void theSameCustomersWritingToBothHubsAtOnceAreOneCustomerEach() throws Exception {
        int customers = 20;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int k = 0; k < customers; k++) {
            String customer = "{\"phone\": \"1391234" + String.format("%04d", k) + "\", \"email\": \"race" + k + "@example.com\"}";
            answers.add(post(http, first, "{\"customer\": " + customer
                    + ", \"description\": \"冰箱买回来就不制冷，食物全坏了，要求退货退款并赔偿损失。(race Q" + k + ")\"}"));
            answers.add(post(http, second, "{\"customer\": " + customer
                    + ", \"description\": \"快递丢件，物流信息十天没有更新，客服电话一直打不通。(race Q" + k + ")\"}"));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as("%s answered %s", r.uri(), r.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> raced().size() >= 2 * customers);
        List<JsonNode> raced = raced();
        assertThat(raced).hasSize(2 * customers);
        assertThat(raced.stream().map(r -> r.get("description").asText()).distinct().count()).isEqualTo(2L * customers);
        assertThat(raced).as("two matters: no repeat").noneMatch(r -> r.has("repeatOf"));

        // each customer's phone and email are linked once, to one customer, who holds both complaints
        JdbcTemplate db = new JdbcTemplate(postgres.dataSource("postgres"));
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM customer_complaint WHERE text_sketch LIKE '%raceq%'", Integer.class) == 2 * customers);
        for (int k = 0; k < customers; k++) {
            List<String> ids = db.queryForList("SELECT customer_id FROM customer_contact WHERE contact_key IN (?, ?)", String.class,
                    sha256("phone:+861391234" + String.format("%04d", k)), sha256("email:race" + k + "@example.com"));
            assertThat(ids).as("customer %d's links", k).hasSize(2).containsOnly(ids.get(0));
        }
        assertThat(db.queryForObject("SELECT COUNT(DISTINCT customer_id) FROM customer_complaint WHERE text_sketch LIKE "
                + "'%raceq%'", Integer.class)).isEqualTo(customers);
        assertThat(first.isAlive()).isTrue();
        assertThat(second.isAlive()).isTrue();
    }

    private static CompletableFuture<HttpResponse<String>> post(HttpClient http, HubProcess hub, String json) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(hub.httpUrl() + "/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> raced() throws Exception {
        return desk().stream().filter(r -> r.path("description").asText().contains("(race Q")).toList();
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<JsonNode> desk() throws Exception {
        return browse("complaints.desk", Function.identity());
    }

    /** The records on each department queue the desk copies came from, counted by queue. */
    private static Map<String, Long> departmentQueues() throws Exception {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (JsonNode r : desk()) {
            String queue = "complaints." + r.get("department").asText();
            counts.putIfAbsent(queue, (long) browse(queue, Function.identity()).size());
        }
        return counts;
    }

    /** Every record waiting on a queue, browsed (nothing taken) over the first hub's loopback acceptor. */
    private static <T> List<T> browse(String queue, Function<JsonNode, T> each) throws Exception {
        List<T> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                first.brokerUrl() + "?reconnectAttempts=0&initialConnectAttempts=1&callTimeout=5000")) {
            Connection connection = factory.createConnection();
            try {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                QueueBrowser browser = session.createBrowser(session.createQueue(queue));
                for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                    out.add(each.apply(json.readTree(((TextMessage) e.nextElement()).getText())));
                }
            } finally {
                connection.close();
            }
        }
        return out;
    }
}
