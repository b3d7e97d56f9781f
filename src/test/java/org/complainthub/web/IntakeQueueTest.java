package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.PlatformMedia;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * HTTP intake runs on a bounded queue: with its one thread busy (a webhook whose media host hangs) and its one queue
 * place taken, the next request is answered 503 with Retry-After at once; the others complete, and the refused one is
 * taken when sent again.
 */
class IntakeQueueTest extends HubIntegrationTest {

    static final PlatformMedia MEDIA = start();

    @Autowired
    ThreadPoolTaskExecutor intakeThreads;

    @DynamicPropertySource
    static void oneThreadOneQueuePlace(DynamicPropertyRegistry r) {
        r.add("spring.task.execution.pool.core-size", () -> "1");
        r.add("spring.task.execution.pool.queue-capacity", () -> "1");
        r.add("hub.intake.max-per-minute-per-client", () -> "0");
        r.add("hub.webhooks.meta.enabled", () -> "true");
        r.add("hub.webhooks.meta.app-secret", () -> "meta-app-secret-demo");
        r.add("hub.webhooks.meta.verify-token", () -> "meatyhamhock");
        r.add("hub.webhooks.meta.media-hosts", () -> "127.0.0.1");
        r.add("hub.webhooks.meta.media-timeout-ms", () -> "4000");
    }

    private static PlatformMedia start() {
        try {
            return new PlatformMedia();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        MEDIA.close();
    }

    @Test
    void theShippedQueueIsBoundedAndNoThreadsAreAddedPastTheCore() throws Exception {
        Properties shipped = new Properties();
        try (FileReader in = new FileReader("src/main/resources/application.properties", StandardCharsets.UTF_8)) {
            shipped.load(in);
        }
        assertThat(shipped.getProperty("spring.task.execution.pool.queue-capacity")).as("queue-capacity").isNotNull();
        assertThat(Integer.parseInt(shipped.getProperty("spring.task.execution.pool.queue-capacity"))).isBetween(1, 100_000);
        assertThat(shipped.getProperty("spring.task.execution.pool.max-size")).isEqualTo("${spring.task.execution.pool.core-size}");
    }

    @Test
    void aFullQueueIs503WithRetryAfterAndNothingIsLost() throws Exception {
        MEDIA.serve("/slow.jpg", "image/jpeg", new byte[] {1, 2, 3}).delay("/slow.jpg", 10_000);
        String image = "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"PSID-Q1\"},\"recipient\":{\"id\":\"P1\"},"
                + "\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_q1\",\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\""
                + MEDIA.base() + "/slow.jpg\"}}]}}]}]}";
        CompletableFuture<HttpResponse<String>> busy = postMetaAsync(image);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> MEDIA.received().stream().anyMatch(r -> r.path().equals("/slow.jpg")));
        CompletableFuture<HttpResponse<String>> queued = postMetaAsync(text("m_q2"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> intakeThreads.getQueueSize() == 1);

        long started = System.nanoTime();
        HttpResponse<String> refused = postMetaAsync(text("m_q3")).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at once").isLessThan(Duration.ofSeconds(2));

        assertThat(busy.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(queued.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(postMetaAsync(text("m_q3")).get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> depth("complaints.desk") >= 3);
        assertThat(drain("complaints.desk")).extracting(c -> c.get("sourceId").asText()).containsExactlyInAnyOrder("m_q1", "m_q2", "m_q3");
    }

    private static String text(String mid) {
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"P1\",\"time\":1,\"messaging\":[{\"sender\":{\"id\":\"PSID-" + mid + "\"},\"recipient\":{\"id\":\"P1\"},"
                + "\"timestamp\":1718000000045,\"message\":{\"mid\":\"" + mid + "\",\"text\":\"The parcel for order 4411 arrived broken\"}}]}]}";
    }

    private CompletableFuture<HttpResponse<String>> postMetaAsync(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String sig = "sha256=" + java.util.HexFormat.of().formatHex(hmac(body));
        return http.sendAsync(HttpRequest.newBuilder(uri("/webhooks/meta")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", sig)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("meta-app-secret-demo".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
