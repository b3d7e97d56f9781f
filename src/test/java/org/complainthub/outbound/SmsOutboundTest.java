package org.complainthub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.complainthub.complaint.Complaint;
import org.complainthub.complaint.RecordJson;
import org.complainthub.support.HubIntegrationTest;
import org.complainthub.support.SmsGateway;
import org.complainthub.support.SharedTestClock;
import org.complainthub.support.TestClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbound path by SMS through an HTTP gateway (a local server standing in for it): web-form customers who gave
 * only a phone number get the acknowledgement by SMS, never at night unless grade A; a gateway that is down is
 * retried until it is back; what still fails waits in complaints.outbound.dead and is re-sent by the documented command.
 */
@TestPropertySource(properties = {"hub.intake.max-per-minute-per-client=1000", "hub.outbound.sms.token=gateway-token-demo",
        "hub.outbound.sms.sender=SHOP", "hub.outbound.retries=4", "hub.outbound.retry-delay-ms=200",
        "hub.outbound.retry-max-delay-ms=1000", "hub.outbound.max-per-recipient-per-hour=100"})
@Import(SharedTestClock.class)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class SmsOutboundTest extends HubIntegrationTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final TestClock CLOCK = SharedTestClock.CLOCK;
    static SmsGateway gateway;


    @DynamicPropertySource
    static void sms(DynamicPropertyRegistry registry) throws Exception {
        gateway = new SmsGateway();
        registry.add("hub.outbound.sms.url", gateway::url);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @LocalManagementPort
    int managementPort;
    @org.springframework.beans.factory.annotation.Autowired
    ContactLedger ledger;

    @BeforeEach
    void daytime() {
        CLOCK.set(ZonedDateTime.now(SHANGHAI).withHour(10).withMinute(0).toInstant());
        gateway.refuseNext(0);
    }

    @Test
    void phoneOnlyCustomersGetTheAcknowledgementBySmsInE164() throws Exception {
        String id = submit("13800138000", "快递三天都没送到，电话也打不通。");
        SmsGateway.Request sms = smsFor(id);
        assertThat(sms.path()).isEqualTo("/v1/sms");
        assertThat(sms.authorization()).isEqualTo("Bearer gateway-token-demo");
        assertThat(sms.contentType()).startsWith("application/json");
        JsonNode body = json(sms.body());
        assertThat(body.get("to").asText()).isEqualTo("+8613800138000");
        assertThat(body.get("sender").asText()).isEqualTo("SHOP");
        assertThat(body.get("text").asText()).contains(id, "/optout/");
    }

    @Test
    void englishCustomersGetAnEnglishSms() throws Exception {
        String id = submit("13900139000", "The courier left my parcel in the rain and it is soaked.");
        JsonNode body = json(smsFor(id).body());
        assertThat(body.get("to").asText()).isEqualTo("+8613900139000");
        assertThat(body.get("text").asText()).contains(id).doesNotContainPattern("[\\u4e00-\\u9fff]");
    }

    @Test
    void noSmsAtNightExceptForGradeA() throws Exception {
        CLOCK.set(ZonedDateTime.now(SHANGHAI).withHour(22).withMinute(30).toInstant());
        String calm = submit("13800138001", "门店的空调太冷了，希望调高一点温度。");
        String urgent = submit("13800138002", "热水器漏电，我被电了一下，太危险了！");
        smsFor(urgent);
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduled("complaints.outbound.send") == 1);
        assertThat(gateway.received()).noneMatch(r -> r.body().contains(calm));
    }

    @Test
    void aGatewayDownForAWhileIsRetriedAndIntakeIsUnaffected() throws Exception {
        gateway.refuseNext(3);
        long started = System.nanoTime();
        String id = submit("13800138003", "收到的手机屏幕有划痕。");
        assertThat((System.nanoTime() - started) / 1_000_000).as("intake ms while the gateway is down").isLessThan(5_000);
        smsFor(id);
        assertThat(gateway.refusedCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void whatStillFailsWaitsInTheDeadQueueAndIsResentOnCommand() throws Exception {
        gateway.refuseNext(1000);
        String id = submit("13800138004", "退款一直没到账。");
        await().atMost(Duration.ofSeconds(30)).until(() -> depth("complaints.outbound.dead") == 1);
        jakarta.jms.Message dead = jms.browse("complaints.outbound.dead",
                (session, browser) -> (jakarta.jms.Message) browser.getEnumeration().nextElement());
        assertThat(dead.getStringProperty("hubFailureReason")).contains("503");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains(id).doesNotContain("13800138004");

        gateway.refuseNext(0);
        HttpResponse<String> resend = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/outbound"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resend.statusCode()).isEqualTo(200);
        assertThat(json(resend.body()).get("resent").asInt()).isEqualTo(1);
        smsFor(id);
        assertThat(depth("complaints.outbound.dead")).isZero();
    }

    /**
     * Dispatch queues the acknowledgement request in the broker's transaction and records the complaint in the ledger
     * just after: a request read before its complaint is in the ledger is retried, and sent once the complaint is there.
     */
    @Test
    void anAcknowledgementRequestReadBeforeItsComplaintIsInTheLedgerIsSentOnceItIs(
            org.springframework.boot.test.system.CapturedOutput log) throws Exception {
        String id = submit("13800138041", "热水器漏水，师傅一直没来。");
        smsFor(id);
        Complaint later = RecordJson.read(((jakarta.jms.TextMessage) jms.receiveSelected("complaints.desk",
                "complaintId = '" + id + "'")).getText());
        later.setId(id.substring(0, id.length() - 6) + "999941"); // a reference no complaint of this run has

        jms.convertAndSend("complaints.outbound.send", RecordJson.write(new OutboundRequest(later.getId(), OutboundRequest.Kind.ACK)));
        await().atMost(Duration.ofSeconds(10)).until(() -> log.getAll().contains(
                "complaint " + later.getId() + " is not in the contact ledger (yet)"));
        assertThat(gateway.received()).noneMatch(r -> r.body().contains(later.getId()));
        ledger.recordDispatched(java.util.List.of(later));

        assertThat(json(smsFor(later.getId()).body()).get("to").asText()).isEqualTo("+8613800138041");
        assertThat(depth("complaints.outbound.dead")).isZero();
    }

    private String submit(String phone, String description) throws Exception {
        HttpResponse<String> r = postJson("/api/complaints",
                "{\"customer\": {\"phone\": \"" + phone + "\"}, \"description\": \"" + description + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r.body()).get("id").asText();
    }

    private SmsGateway.Request smsFor(String id) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> gateway.received().stream().filter(r -> r.body().contains(id)).findFirst(),
                java.util.Optional::isPresent).get();
    }

    private long scheduled(String queue) {
        return broker.getActiveMQServer().locateQueue(queue).getScheduledCount();
    }
}
