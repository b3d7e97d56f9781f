package org.complainthub.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.complainthub.HubApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP port opens before Camel starts the routes behind it. The hub is started here with Camel's start held back
 * (a listener on Camel's "starting" event waits for the test): meanwhile the port answers 503 with Retry-After, not
 * 404, and readiness says not ready; once the routes are up, both say so.
 */
class StartupGateTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void untilTheRoutesAreUpThePortAnswers503AndReadinessSaysNotReady() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventNotifierSupport holdBack = new EventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStartingEvent;
            }

            @Override
            public void notify(CamelEvent event) throws Exception {
                starting.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
        };
        AtomicInteger port = new AtomicInteger();
        AtomicInteger managementPort = new AtomicInteger();
        Path under = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
        Path dataDir = Files.createTempDirectory(under, "hub-startup-");
        // as command-line arguments: builder properties are defaults, below application.properties (data-dir, ports)
        String[] settings = {"--hub.data-dir=" + dataDir, "--spring.artemis.embedded.server-id=977", "--server.port=0",
                "--management.server.port=0", "--server.address=127.0.0.1"};
        SpringApplicationBuilder hub = new SpringApplicationBuilder(HubApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("holdBackCamelStart", holdBack))
                .listeners((ApplicationListener<WebServerInitializedEvent>) e -> {
                    if ("management".equals(e.getApplicationContext().getServerNamespace())) {
                        managementPort.set(e.getWebServer().getPort());
                    } else {
                        port.set(e.getWebServer().getPort());
                    }
                });
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<ConfigurableApplicationContext> running = runner.submit(() -> hub.run(settings));
        ConfigurableApplicationContext context = null;
        try {
            assertThat(starting.await(60, TimeUnit.SECONDS)).as("Camel starts").isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> port.get() > 0 && managementPort.get() > 0);

            HttpResponse<String> early = postComplaint(port.get());
            assertThat(early.statusCode()).as(early.body()).isEqualTo(503);
            assertThat(early.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
            assertThat(get(port.get(), "/webhooks/meta?hub.mode=subscribe").statusCode()).isEqualTo(503);
            assertThat(get(managementPort.get(), "/actuator/health/readiness").statusCode()).as("readiness while starting").isEqualTo(503);

            release.countDown();
            context = running.get(120, TimeUnit.SECONDS);
            assertThat(get(managementPort.get(), "/actuator/health/readiness").statusCode()).isEqualTo(200);
            HttpResponse<String> later = postComplaint(port.get());
            assertThat(later.statusCode()).as(later.body()).isEqualTo(202);
        } finally {
            release.countDown();
            if (context == null && !running.isDone()) {
                context = running.get(120, TimeUnit.SECONDS);
            }
            if (context != null) {
                context.close();
            }
            runner.shutdownNow();
        }
    }

    private HttpResponse<String> postComplaint(int port) throws Exception {
        String json = "{\"customer\": {\"email\": \"early@example.com\"}, \"description\": \"The cashier was rude to me at the Xuhui store.\"}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
