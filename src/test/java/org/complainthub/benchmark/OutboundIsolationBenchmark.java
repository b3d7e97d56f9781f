package org.complainthub.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SmsGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Web form intake with the outbound provider down against intake with it up, in one process, alternating phases so
 * that warm-up and machine noise fall on both sides. Target: down / up >= 0.9 (a failing provider must not slow
 * intake). Run: ./mvnw -B test -Pbenchmark  (prints the figures; bounded: about a minute, 127.0.0.1 only).
 */
@Tag("benchmark")
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=0", "hub.outbound.retries=1000",
        "hub.outbound.retry-delay-ms=2000", "hub.outbound.retry-max-delay-ms=2000", "logging.level.org.apache.camel=ERROR",
        "logging.level.org.complainthub=WARN", "hub.outbound.max-per-recipient-per-hour=1000000"})
class OutboundIsolationBenchmark extends HubIntegrationTest {

    static final int CLIENTS = 16;
    static final int PER_PHASE = 1500;
    static SmsGateway gateway;

    @DynamicPropertySource
    static void sms(DynamicPropertyRegistry registry) throws Exception {
        gateway = new SmsGateway();
        registry.add("hub.outbound.sms.url", gateway::url);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void intakeWithTheProviderDownKeepsPaceWithIntakeWithItUp() throws Exception {
        run(PER_PHASE, "warm-up");
        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            gateway.refuseNext(0);
            up.add(run(PER_PHASE, "provider up   #" + round));
            gateway.refuseNext(Integer.MAX_VALUE);
            down.add(run(PER_PHASE, "provider down #" + round));
        }
        gateway.refuseNext(0);
        double upMedian = median(up);
        double downMedian = median(down);
        double ratio = downMedian / upMedian;
        System.out.printf("%nBENCHMARK web form intake, %d clients, %d complaints per phase, 3 rounds each%n", CLIENTS, PER_PHASE);
        System.out.printf("BENCHMARK provider up:   median %.0f complaints/s  %s%n", upMedian, up);
        System.out.printf("BENCHMARK provider down: median %.0f complaints/s  %s%n", downMedian, down);
        System.out.printf("BENCHMARK ratio down/up: %.2f (target >= 0.90)%n%n", ratio);
        assertThat(ratio).as("intake with the provider down / up").isGreaterThanOrEqualTo(0.9);
    }

    private double run(int count, String label) throws Exception {
        return LoadPhases.run(http, CLIENTS, i -> HttpRequest.newBuilder(uri("/api/complaints")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"customer\": {\"phone\": \"1380013" + String.format("%04d", i % 10000) + "\"},"
                                + " \"description\": \"快递三天都没送到，电话也打不通，订单 " + i + "\"}")).build(), 202, count, label);
    }

    private static double median(List<Double> xs) {
        return LoadPhases.median(xs);
    }
}
