package org.complainthub.benchmark;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.complainthub.support.HubIntegrationTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Signed webhook intake (Meta Messenger: X-Hub-Signature-256 over the raw body, one customer message per request, each
 * from a new account) against the web form's JSON intake, in one process, with the same number of clients, in
 * alternating phases so that warm-up and machine noise fall on both sides. Targets: >= 2,000 complaints/s and >= 0.8
 * of the web form's rate. Prints both, the ratio, and whether the targets were met; fails only if a request was not
 * answered 2xx. Also prints a floor: Meta's verification handshake (a GET the webhook route answers without any
 * intake) with the same clients, what the HTTP stack and the load generator alone allow on this machine.
 * Run: ./mvnw -B -o test -Pbenchmark -Dtest=WebhookIntakeBenchmark (127.0.0.1 only, about a minute and a half).
 */
@Tag("benchmark")
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=0", "logging.level.org.apache.camel=ERROR",
        "logging.level.org.complainthub=WARN", "hub.webhooks.meta.enabled=true", "hub.webhooks.meta.app-secret=bench-secret",
        "hub.webhooks.meta.verify-token=bench-token"})
class WebhookIntakeBenchmark extends HubIntegrationTest {

    static final int CLIENTS = Integer.getInteger("bench.webhook.clients", 16);
    static final int PER_PHASE = Integer.getInteger("bench.webhook.per-phase", 3000);
    static final int ROUNDS = Integer.getInteger("bench.webhook.rounds", 5);

    @Test
    void signedWebhookIntakeAgainstTheWebFormsJsonIntake() throws Exception {
        AtomicInteger serial = new AtomicInteger();
        IntFunction<HttpRequest> webform = i -> HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"customer\": {\"phone\": \"1380013" + String.format("%04d", i % 10000) + "\"},"
                                + " \"description\": \"快递三天都没送到，电话也打不通，订单 " + i + "\"}")).build();
        IntFunction<HttpRequest> webhook = i -> {
            int n = serial.incrementAndGet();
            byte[] body = ("{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566778\",\"time\":1718000000123,\"messaging\":[{\"sender\":{\"id\":\"PSID"
                    + n + "\"},\"recipient\":{\"id\":\"112233445566778\"},\"timestamp\":1718000000045,\"message\":{\"mid\":\"m_bench_" + n
                    + "\",\"text\":\"快递三天都没送到，电话也打不通，订单 " + i + "\"}}]}]}").getBytes(StandardCharsets.UTF_8);
            return HttpRequest.newBuilder(uri("/webhooks/meta")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", sign(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        };
        // the floor: Meta's verification handshake through the same HTTP stack and webhook route, no intake at all
        IntFunction<HttpRequest> handshake = i -> HttpRequest.newBuilder(uri("/webhooks/meta?hub.mode=subscribe"
                + "&hub.verify_token=bench-token&hub.challenge=" + i)).timeout(Duration.ofSeconds(30)).GET().build();
        run(handshake, 200, PER_PHASE, "warm-up handshake");
        run(webform, 202, PER_PHASE, "warm-up form");
        run(webhook, 200, PER_PHASE, "warm-up webhook");
        List<Double> forms = new ArrayList<>();
        List<Double> hooks = new ArrayList<>();
        List<Double> floors = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            forms.add(run(webform, 202, PER_PHASE, "web form #" + round));
            hooks.add(run(webhook, 200, PER_PHASE, "webhook  #" + round));
            floors.add(run(handshake, 200, PER_PHASE, "handshake #" + round));
        }
        double form = median(forms);
        double hook = median(hooks);
        double floor = median(floors);
        double ratio = hook / form;
        System.out.printf("%nBENCHMARK %d clients, %d complaints per phase, %d rounds each (127.0.0.1)%n", CLIENTS, PER_PHASE, ROUNDS);
        System.out.printf("BENCHMARK web form JSON intake: median %.0f complaints/s  %s%n", form, forms);
        System.out.printf("BENCHMARK signed webhook intake: median %.0f complaints/s  %s  target >= 2000: %s%n", hook, hooks,
                hook >= 2000 ? "met" : "NOT met");
        System.out.printf("BENCHMARK ratio webhook/web form: %.2f  target >= 0.80: %s%n", ratio, ratio >= 0.8 ? "met" : "NOT met");
        System.out.printf("BENCHMARK floor, Meta's verification GET through the same stack and route (no intake): median %.0f "
                + "requests/s  %s; webhook/floor %.2f%n%n", floor, floors, hook / floor);
    }

    private double run(IntFunction<HttpRequest> request, int expected, int count, String label) throws Exception {
        return LoadPhases.run(http, CLIENTS, request, expected, count, label);
    }

    private static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("bench-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(List<Double> xs) {
        return LoadPhases.median(xs);
    }
}
