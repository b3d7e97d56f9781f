package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.complainthub.support.BrokerRefusals;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.SmsGateway;
import org.complainthub.support.SmtpRefusals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Failed sends are retried by the broker (scheduled delivery), not by a sleeping consumer: a recipient the SMS gateway
 * keeps failing does not hold up anyone else's acknowledgement; a refusal that retrying cannot change (the gateway's
 * 400, an SMTP 550) goes to complaints.outbound.dead at once with the reason; re-sending the dead requests is one
 * transaction per request, so a broker that refuses the move leaves them dead, not lost.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.retries=10",
        "hub.outbound.retry-delay-ms=3000", "hub.outbound.retry-max-delay-ms=60000",
        "hub.outbound.max-per-recipient-per-hour=100"})
@Import(SharedTestClock.class)
class OutboundRetriesTest extends HubIntegrationTest {

    static SmsGateway gateway;
    static SmtpRefusals smtp;

    @DynamicPropertySource
    static void transports(DynamicPropertyRegistry registry) throws Exception {
        gateway = new SmsGateway();
        smtp = new SmtpRefusals("550 5.1.1 <nobody@refused.example>: Recipient address rejected: User unknown");
        registry.add("hub.outbound.sms.url", gateway::url);
        registry.add("hub.outbound.email.host", () -> "127.0.0.1");
        registry.add("hub.outbound.email.port", smtp::port);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        smtp.close();
    }

    @LocalManagementPort
    int managementPort;

    @BeforeEach
    void daytime() {
        SharedTestClock.CLOCK.set(ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).withHour(10).withMinute(0).toInstant());
    }

    @Test
    void recipientsTheGatewayKeepsFailingDoNotHoldUpOtherCustomersAcknowledgements() throws Exception {
        gateway.refuse("+8613900000001", 503);
        gateway.refuse("+8613900000002", 502);
        submit("13900000001", "快递一直显示派送中，一周了还没到。");
        submit("13900000002", "退货寄回去半个月了，钱还没退。");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.refusedRequests().size() >= 2);

        long started = System.nanoTime();
        List<String> others = List.of(submit("13900000003", "收到的杯子是碎的。"),
                submit("13900000004", "店员服务态度很差。"), submit("13900000005", "发票开错了抬头。"));
        for (String id : others) {
            await().atMost(Duration.ofSeconds(8)).until(() -> gateway.received().stream().anyMatch(r -> r.body().contains(id)));
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the others' acknowledgements went out")
                .isLessThan(8_000);
        // the two failing ones wait on the broker for their next try, neither lost nor dead
        await().atMost(Duration.ofSeconds(5)).until(() -> scheduled("complaints.outbound.send") >= 2);
        assertThat(depth("complaints.outbound.dead")).isZero();
    }

    @Test
    void aGatewayRefusal400GoesToTheDeadQueueAtOnceWithTheReason() throws Exception {
        drain("complaints.outbound.dead");
        gateway.refuse("+8613900000011", 400);
        String id = submit("13900000011", "空调安装师傅迟到了三个小时。");
        await().atMost(Duration.ofSeconds(5)).until(() -> depth("complaints.outbound.dead") == 1);
        jakarta.jms.Message dead = jms.receive("complaints.outbound.dead");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains(id).doesNotContain("13900000011");
        assertThat(dead.getStringProperty("hubFailureReason")).contains("permanent", "HTTP 400")
                .doesNotContain("13900000011");
        assertThat(gateway.refusedRequests()).filteredOn(r -> r.body().contains(id)).as("not retried").hasSize(1);
    }

    @Test
    void anSmtp550GoesToTheDeadQueueAtOnceWithTheReason() throws Exception {
        drain("complaints.outbound.dead");
        String id = submit("{\"customer\": {\"email\": \"nobody@refused.example\"}, \"description\": \"The parcel was left in the rain.\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> depth("complaints.outbound.dead") == 1);
        jakarta.jms.Message dead = jms.receive("complaints.outbound.dead");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains(id);
        assertThat(dead.getStringProperty("hubFailureReason")).contains("permanent", "SMTP 550", "5.1.1")
                .doesNotContain("nobody@refused.example");
        assertThat(smtp.recipients()).as("not retried").hasSize(1);
    }

    @Test
    void aResendTheBrokerRefusesLeavesTheRequestOnTheDeadQueue() throws Exception {
        drain("complaints.outbound.dead");
        gateway.refuse("+8613900000021", 400);
        String id = submit("13900000021", "网购的鞋子尺码发错了。");
        await().atMost(Duration.ofSeconds(5)).until(() -> depth("complaints.outbound.dead") == 1);

        HttpResponse<String> refused;
        try (BrokerRefusals faults = BrokerRefusals.refuseSends(broker.getActiveMQServer(), "complaints.outbound.send", null, 1)) {
            refused = resend();
            assertThat(faults.refused()).isEqualTo(1);
        }
        // the broker took the refused request back: the next re-send finds it and moves it
        gateway.refuse("+8613900000021", 200);
        HttpResponse<String> moved = resend();
        assertThat(json(moved.body()).get("resent").asInt()).as("still dead, not lost: " + moved.body()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.refusedRequests().stream()
                .filter(r -> r.body().contains(id)).count() == 2);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(json(refused.body()).get("resent").asInt()).isZero();
    }

    private HttpResponse<String> resend() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/outbound"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String submit(String phone, String description) throws Exception {
        return submit("{\"customer\": {\"phone\": \"" + phone + "\"}, \"description\": \"" + description + "\"}");
    }

    private String submit(String json) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }

    private long scheduled(String queue) {
        return broker.getActiveMQServer().locateQueue(queue).getScheduledCount();
    }
}
